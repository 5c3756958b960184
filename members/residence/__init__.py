"""Residence comments (QĐ 213): once a year the residence cell comments on each
linked resident; the workplace cell reads it in its annual rating sheet.
`services`, `selectors`, `forms`, `views`, `urls`."""
