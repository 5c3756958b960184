"""The admission pipeline (DOMAIN.md §2): candidate → cell's vote → committee's
decision → ceremony → 12 months' probation with a mentor → recognition vote →
decision. Parts: domain (pure rules), selectors, services, forms, views, urls."""
