"""The view state: ``view`` (the parameters every page shows, one source of truth, always in the URL),
``values`` (what each parameter may hold) and ``widgets`` (the controls that show and change it)."""
