"""Signals later stages listen to, so assignments need not import them (they depend on assignments)."""

from django.dispatch import Signal

# Sent inside the transaction that ended mentoring postings (publishing a run that drops or moves
# mentors, or a group that stopped or graduated): sender=Posting, mentors=<ids of the TKS whose
# postings ended, one list for a whole publication>, on=<the date they ended>, actor=<who acted>.
# A TKS in `mentors` may still hold another open posting; receivers check. The alumni app records
# those with none left as alumni; a receiver that raises undoes the publication.
posting_ended = Signal()
