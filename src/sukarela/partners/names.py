"""The comparison key of an institution's name, used by duplicate detection: lower-case, without
the legal form or title at its start or end ("PT", "Tbk", "(Persero)", "CV", "Koperasi", a leading
"Yayasan"...), punctuation and repeated spaces, with common abbreviations spelled out ("Kab." →
"kabupaten"), so "PT. Bank Rakyat Indonesia (Persero) Tbk" and "Bank Rakyat Indonesia" share one
key. A legal-form word inside the name stays: "Dinas Koperasi Kabupaten Bogor" is not "Dinas PU
Kabupaten Bogor"."""

import re
import unicodedata

# Abbreviations written out after punctuation goes.
ABBREVIATIONS = {
    "kab": "kabupaten",
    "kec": "kecamatan",
    "prov": "provinsi",
    "kemnaker": "kementerian ketenagakerjaan",
    "kemenaker": "kementerian ketenagakerjaan",
    "kemen": "kementerian",
    "disnaker": "dinas tenaga kerja",
    "disnakertrans": "dinas tenaga kerja dan transmigrasi",
    "dinsos": "dinas sosial",
    "univ": "universitas",
    "yys": "yayasan",
    "yay": "yayasan",
    "blk": "balai latihan kerja",
    "bpr": "bank perkreditan rakyat",
    "bprs": "bank pembiayaan rakyat syariah",
    "bumdes": "badan usaha milik desa",
    "lpk": "lembaga pelatihan kerja",
    "ponpes": "pondok pesantren",
}

# Legal forms and titles that say nothing about which institution it is — at the name's start or
# end only: inside a name ("Dinas Koperasi dan UKM") the word is what tells two offices apart.
LEGAL_FORMS = frozenset({
    "pt", "tbk", "persero", "perseroan", "terbatas", "cv", "ud", "pd", "perum", "perumda",
    "firma", "fa", "persekutuan", "komanditer", "ltd", "inc", "co", "corp", "llc", "bhd", "sdn",
})
# Forms an institution's name starts with that offices drop as often as they write them ("Yayasan
# Dompet Dhuafa" is "Dompet Dhuafa", "KSP Sejahtera" is "Sejahtera"); at the end they are part of
# the name ("Kementerian Koperasi", "Dinas Koperasi" are not "Kementerian", "Dinas").
LEADING_FORMS = LEGAL_FORMS | {"yayasan", "lembaga", "koperasi", "kop", "ksp", "kud"}

_PARENS = re.compile(r"\(([^)]*)\)")
# Single letters each followed by a dot ("P.T.", "C.V", "U.D."): one word ("pt"), before the dots
# go and would leave "p t".
_DOTTED = re.compile(r"(?<!\w)((?:[^\W\d_]\.)+[^\W\d_])(?!\w)\.?")
_NON_WORD = re.compile(r"[^\w\s]+")


def _strip_forms(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and words[start] in LEADING_FORMS:
        start += 1
    while end > start and words[end - 1] in LEGAL_FORMS:
        end -= 1
    return words[start:end]


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    # "(Persero)" and friends; a parenthesised acronym like "(BRI)" goes too: the full name decides.
    text = _PARENS.sub(" ", text)
    text = _DOTTED.sub(lambda m: m.group(1).replace(".", "") + " ", text)
    text = _NON_WORD.sub(" ", text.replace("_", " "))
    words = " ".join(ABBREVIATIONS.get(w, w) for w in text.split()).split()
    key = " ".join(_strip_forms(words))
    # A name made only of legal forms ("PT", "Yayasan") still needs a key: its plain words.
    return (key or " ".join(text.split()))[:200]
