"""Pages of findings and their rectification, mounted at ``findings/``. One module per
area: ``findings`` (the list, a finding's page, raising one by hand, the steps of the
loop), ``board`` (the rectification board and the policy), ``orders`` (supervision orders)
and ``compliance`` (the compliance view and the rows behind its figures)."""
