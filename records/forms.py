"""Forms of the records pages: a record's title, an entry, a record group.

A body is rich text (the editor, sanitised HTML) or plain text (a text area), as
rich_text.writes_rich decides: the Editor setting, and rich text stays rich.
"""

from django import forms
from tinymce.widgets import TinyMCE

from records import rich_text
from records.models import RecordGroup

TITLE_MAX = 200
# A long assessment is a few pages; this stops a paste of a whole book, not a note.
BODY_MAX = 200_000


def body_field(*, rich: bool, label: str, required: bool) -> forms.CharField:
    widget = TinyMCE(attrs={"rows": 14}) if rich else forms.Textarea(attrs={"rows": 12})
    return forms.CharField(
        label=label, required=required, max_length=BODY_MAX, widget=widget, strip=not rich
    )


class RecordForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="For example “Physiotherapy, left knee”. Stored encrypted.",
        widget=forms.TextInput(attrs={"autofocus": True}),
    )


class EntryForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)

    def __init__(self, *args, rich: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rich = rich
        self.fields["body"] = body_field(rich=rich, label="Entry", required=True)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        # An editor left empty posts "<p></p>" or "&nbsp;": that is no entry.
        if self.rich and not rich_text.to_plain(rich_text.clean(body)).strip("\xa0 \n\t"):
            raise forms.ValidationError("Write the entry before saving it.")
        return body

    @staticmethod
    def initial_from(group: RecordGroup | None, *, rich: bool) -> dict[str, str]:
        """Title and body of a new entry written from `group`'s template, in the entry's
        format."""
        if group is None:
            return {}
        body = rich_text.in_format(group.template, rich=rich, was_rich=group.rich_text)
        return {"title": group.name, "body": body}


class RecordGroupForm(forms.ModelForm):
    """A record group's name, template and status, parsed for the staff page and the
    admin; records.services (record_group_create / _update) sanitises the template on
    whichever path it is saved."""

    class Meta:
        model = RecordGroup
        fields = ["name", "template", "is_active"]
        help_texts = {"template": "What a new entry of this group starts with."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rich = rich_text.writes_rich(self.instance.rich_text)
        self.initial["template"] = rich_text.in_format(
            self.instance.template, rich=self.rich, was_rich=self.instance.rich_text
        )
        self.fields["template"] = body_field(rich=self.rich, label="Template", required=False)
        self.fields["template"].help_text = self._meta.help_texts["template"]  # type: ignore[index]  # Meta sets it

    def group_input(self) -> dict:
        """The keyword arguments of record_group_create / _update, from a valid form."""
        return {name: self.cleaned_data[name] for name in ("name", "template", "is_active")}
