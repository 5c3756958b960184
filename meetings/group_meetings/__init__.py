"""Party-group meetings (DOMAIN.md §3.7, seed 002): `services` (record one),
`selectors` (a cell's group meetings, a member's history rows), `forms`, `views`,
`urls`. They never count in the regular-meeting figures (a separate model)."""
