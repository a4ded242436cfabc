"""The region picker: province → regency → district → village, searchable.

Any form adds `RegionField(...)`. Each level is a <select> that, on change,
asks the server (htmx) to redraw the picker one level deeper; the search box
finds a region by name anywhere below the picker's root. The submitted value is
the deepest chosen Kemendagri code, held in a hidden input named like the field.
"""

import json

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sukarela.regions import selectors
from sukarela.regions.models import Level, Region, within


class RegionPickerWidget(forms.Widget):
    template_name = "regions/picker.html"

    def __init__(self, *, max_level: int = 4, root: str = "", attrs=None):
        super().__init__(attrs)
        self.max_level = max_level
        self.root = root or ""

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_

    def levels(self, value: str) -> list[dict]:
        """One entry per <select> to show: its level, options and the chosen code."""
        chosen = {r.level: r.code for r in selectors.chain(value)} if value else {}
        start = len(self.root.split(".")) + 1 if self.root else 1
        out, parent = [], self.root
        for level in range(start, self.max_level + 1):
            options = list(selectors.children(parent or None).values_list("code", "name"))
            out.append({"level": level, "label": Level(level).label, "options": options, "value": chosen.get(level, ""),
                        "parent": parent})
            parent = chosen.get(level)
            if not parent:
                break
        return out

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Nothing chosen below the root means the root itself (e.g. an officer's whole province).
        value = value.code if isinstance(value, Region) else (value or self.root)
        id_ = context["widget"]["attrs"].get("id") or f"id_{name}"
        region = selectors.get(value) if value else None
        base = {"field": name, "id": id_, "max_level": self.max_level, "root": self.root}
        levels = self.levels(value if region else "")
        for lv in levels:
            lv["hx_vals"] = json.dumps({**base, "parent": lv["parent"]})
        context["widget"].update(
            id=id_,
            value=value,
            region=region,
            path=", ".join(r.name for r in reversed(selectors.chain(value))) if region else "",
            levels=levels,
            picker_url=reverse("regions:picker"),
            search_url=reverse("regions:search"),
            hx_vals=json.dumps(base),
        )
        return context


class RegionField(forms.Field):
    """Cleans to a Region; `min_level`/`max_level` bound how deep the choice must go."""

    default_error_messages = {
        "unknown": _("Kode wilayah tidak dikenal: %(code)s"),
        "too_shallow": _("Pilih wilayah sampai tingkat %(level)s."),
        "too_deep": _("Pilih wilayah paling dalam tingkat %(level)s."),
        "outside": _("Wilayah %(code)s berada di luar %(root)s."),
    }

    def __init__(self, *, min_level: int = 1, max_level: int = 4, root: str = "", **kwargs):
        self.min_level, self.max_level, self.root = min_level, max_level, root or ""
        kwargs.setdefault("widget", RegionPickerWidget(max_level=max_level, root=self.root))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value):
        code = (value or "").strip()
        if not code:
            return None
        if "\x00" in code:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": repr(code)})
        region = selectors.get(code)
        if region is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        return region

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value.level < self.min_level:
            raise forms.ValidationError(
                self.error_messages["too_shallow"], code="too_shallow", params={"level": Level(self.min_level).label}
            )
        if value.level > self.max_level:
            raise forms.ValidationError(
                self.error_messages["too_deep"], code="too_deep", params={"level": Level(self.max_level).label}
            )
        if self.root and not within(value.code, self.root):
            raise forms.ValidationError(
                self.error_messages["outside"], code="outside", params={"code": value.code, "root": self.root}
            )
