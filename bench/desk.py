"""The newsroom desk's server times on a scratch site: home, the story list and its search, planning, review, writing.

    .venv/bin/python bench/desk.py --site var/bench/site-100000 [--requests 30]

`make bench` calls desk_figures() on its site. Times are medians (and p90) of the whole Django request in this
process (the test client, logged in as an editor who may open every story), after one warm-up request each.
"""

import argparse
import random
import time
from pathlib import Path

from measure import median, percentile, setup_django

EDITOR = "bench-desk-editor"


def editor():
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username=EDITOR, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def timed(client, path, count):
    client.get(path)  # warm-up
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return {"p50_ms": median(times), "p90_ms": percentile(times, 90)}


def desk_figures(count=30, seed=7):
    """{page: {p50_ms, p90_ms}} for the desk's pages on this site's database."""
    from django.test import Client

    from dateline.articles.models import Story

    client = Client()
    client.force_login(editor())
    last = Story.objects.order_by("-news_id").values_list("news_id", flat=True).first()
    rng = random.Random(seed)
    numbers = list(
        Story.objects.filter(news_id__in=[rng.randint(1, last) for _ in range(50)]).values_list("news_id", flat=True)
    )
    word = Story.objects.order_by("-news_id").values_list("headline", flat=True).first().split()[0]
    figures = {
        "home": timed(client, "/newsroom/", count),
        "story list": timed(client, "/newsroom/stories/", count),
        "story list, search": timed(client, f"/newsroom/stories/?q={word}", count),
        "story list, page 100": timed(client, "/newsroom/stories/?page=100", count),
        "planning calendar": timed(client, "/newsroom/plan/", count),
        "review": timed(client, f"/newsroom/stories/{numbers[0]}/review", count),
    }
    writing = [timed(client, f"/newsroom/stories/{number}/", max(1, count // 10)) for number in numbers[:10]]
    figures["writing screen"] = {
        "p50_ms": median([w["p50_ms"] for w in writing]),
        "p90_ms": percentile([w["p90_ms"] for w in writing], 90),
    }
    return figures


DESK_LIMITS = {"home": 50, "story list": 50, "writing screen": 100}


def desk_targets(figures):
    """(target, measured, limit, passed) for the desk's issue targets."""
    return [
        (f"desk p50, {page}", f"{figures[page]['p50_ms']:.1f} ms", f"< {limit} ms", figures[page]["p50_ms"] < limit)
        for page, limit in DESK_LIMITS.items()
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a scratch site's directory (DATELINE_VAR)")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    setup_django(args.site.resolve())
    figures = desk_figures(args.requests)
    print("| desk page | p50 ms | p90 ms |\n|---|---|---|")
    for page, figure in figures.items():
        print(f"| {page} | {figure['p50_ms']:.1f} | {figure['p90_ms']:.1f} |")
    for name, measured, limit, passed in desk_targets(figures):
        print(f"{name}: {measured} ({limit}) {'PASS' if passed else 'MISS'}")


if __name__ == "__main__":
    main()
