"""Rules every machine shares: tags, and using a resource after deleting it."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from ._base import EC2Machine

TAG_KEYS = ("Name", "env", "owner", "cost-center")


class CommonRules(EC2Machine):
    def _taggable(self):
        return [r for r in self.model.live.values()
                if self.session.kinds[r.kind].taggable and not r.implicit and not r.data.get("unsettled")]

    @precondition(lambda self: self._taggable())
    @rule(data=st.data(), key=st.sampled_from(TAG_KEYS),
          value=st.text(st.sampled_from("abc xyz-_.:/=+@"), max_size=12))
    def create_tag(self, data, key, value):
        choices = self._taggable()
        resource = choices[data.draw(st.integers(0, len(choices) - 1), label="resource")]
        self.send("CreateTags", {"Resources": [resource.id], "Tags": [{"Key": key,
                                                                       "Value": value}]})

    def _with_own_tags(self):
        run_tag = self.session.kinds.run_tag
        return [r for r in self._taggable() if set(r.tags) - {run_tag}]

    @precondition(lambda self: self._with_own_tags())
    @rule(data=st.data(), with_value=st.booleans())
    def delete_tag(self, data, with_value):
        choices = self._with_own_tags()
        resource = choices[data.draw(st.integers(0, len(choices) - 1), label="resource")]
        key = data.draw(st.sampled_from(sorted(set(resource.tags) - {self.session.kinds.run_tag})),
                        label="key")
        tag = {"Key": key, "Value": resource.tags[key]} if with_value else {"Key": key}
        self.send("DeleteTags", {"Resources": [resource.id], "Tags": [tag]})

    @precondition(lambda self: self._taggable())
    @rule(data=st.data())
    def fill_tags(self, data):
        """Tag one resource up to the limit, then once more (breaks tag-limit)."""
        choices = self._taggable()
        resource = choices[data.draw(st.integers(0, len(choices) - 1), label="resource")]
        missing = self.session.catalog.limit_value("tags_per_resource") - len(resource.tags)
        tags = [{"Key": f"fill-{i}", "Value": str(i)} for i in range(missing)]
        if tags:
            self.send("CreateTags", {"Resources": [resource.id], "Tags": tags})
        self.send("CreateTags", {"Resources": [resource.id],
                                 "Tags": [{"Key": "one-too-many", "Value": "x"}]})

    def _deleted(self):
        kinds = self.session.kinds
        return [r for r in self.model.gone.values() if kinds[r.kind].describe_ids
                and r.id not in self.model.live]

    @precondition(lambda self: self._deleted())
    @rule(data=st.data())
    def describe_deleted(self, data):
        """A deleted resource, asked for by ID, is not found."""
        choices = self._deleted()
        resource = choices[data.draw(st.integers(0, len(choices) - 1), label="deleted")]
        kind = self.session.kinds[resource.kind]
        self.send(kind.describe, {kind.describe_ids: [resource.id]})
