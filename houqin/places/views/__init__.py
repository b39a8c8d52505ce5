"""Pages of places and equipment: the tree, details with QR code and change log, forms,
the equipment list, QR label printing and the scan entry ``/q/<token>``.

One module per area: ``tree`` (places), ``equipment``, ``label_views`` (the QR label page),
``scan`` (``/q/<token>``) and ``_shared`` (helpers used by several)."""
