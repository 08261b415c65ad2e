"""The verified list of known scam recruiters (issue 16): contacts and lure texts staff have checked.

`normalise` gives every contact one written form, `extract` finds contacts in
an offer, `similar` matches reposted lures, `store` keeps the list in the
application database, `csvfile` exchanges it with partners (docs/known-scams.md).
"""
