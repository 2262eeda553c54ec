"""Full-text search over published stories: one small interface, `search()`, the backend chosen by the database."""


def search(query, *, section=None, language=None, since=None, until=None, order="relevance", within=None):
    """Published stories matching the reader's free text `query`, as a `Results` that Django's Paginator can page.

    `section`: a Section or its slug (its subsections included); `language`: a language code ("ar" also finds
    "ar-EG"); `since`/`until`: dates (whole days, both inclusive) or datetimes (`until` exclusive); `order`:
    "relevance" or "date"; `within`: the stories to search instead of the published ones (the newsroom's, of every
    status, for whoever may open them). Each story of a page carries `rank` and `snippet` (escaped HTML, <mark>
    around hits).
    """
    from .results import Results  # imports models, so only once the app registry is ready

    return Results(query, section=section, language=language, since=since, until=until, order=order, within=within)
