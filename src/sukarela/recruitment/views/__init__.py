"""Recruitment pages: public application (public.py), campaigns and quotas
(campaigns.py), applications (applications.py), imports (imports.py),
screening, selection and results (selection.py)."""
