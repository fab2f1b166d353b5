"""Page fixtures for the resolver tests, written for these tests (no real article text)."""

from __future__ import annotations

from html import escape


def article_page(
    headline: str,
    paragraphs: list[str],
    *,
    author: str = "Dana Example",
    date: str = "2024-08-06",
    site: str = "Example News",
) -> str:
    """A news page with the clutter real ones carry: navigation, a sidebar, a footer."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{escape(headline)} - {escape(site)}</title>
<meta property="og:site_name" content="{escape(site)}">
<meta name="author" content="{escape(author)}">
<meta property="article:published_time" content="{date}T10:00:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/tech">Tech</a> <a href="/markets">Markets</a>
<a href="/politics">Politics</a> <a href="/login">Sign in</a></nav></header>
<main><article>
<h1>{escape(headline)}</h1>
<div class="byline">By {escape(author)} | <time datetime="{date}">{date}</time></div>
{body}
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Another story</a></li>
<li><a href="/b">Yet another story</a></li></ul></aside></main>
<footer><p>Copyright Example News. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


LEAVES = article_page(
    "Research lead leaves the lab for a rival",
    [
        "A founding researcher at a well-known artificial intelligence lab said on Monday "
        "that he is leaving to join a competing company, where he will focus on alignment.",
        "He helped start the lab in 2015 and later led the team that tuned its chat models "
        "after pre-training, a process that shapes how the models answer people.",
        "In a short note he said the move was his own choice and that he wanted to return to "
        "hands-on technical work, rather than any sign of trouble at his old employer.",
        "The lab's president is also taking an extended leave through the end of the year, "
        "the company said, while a product executive departed earlier this year.",
        "The chief executive thanked him in a public message and said the two had first met "
        "years ago, when the lab was still a small group working out of one office.",
    ],
)

REASSIGNED = article_page(
    "Safety executive moved to a new research role",
    [
        "An artificial intelligence company has moved the head of its preparedness team to a "
        "new job focused on reasoning research, people familiar with the change said.",
        "The reassignment came in July, days before a group of senators sent the company a "
        "letter asking how it handles safety questions.",
        "The company said the executive would keep working on core safety research in his "
        "new role and that other leaders would take over the preparedness work for now.",
    ],
)

SOFT_404 = """<!DOCTYPE html><html><head><title>Page Not Found | Example News</title></head>
<body><nav><a href="/">Home</a></nav><h1>Sorry, we couldn't find that page</h1>
<p>The page you were looking for may have moved. Try our home page.</p></body></html>"""

LONG_ABOUT_NOT_FOUND = article_page(
    "Search teams report the missing hiker was not found overnight",
    [
        "Volunteers searched the ridge through the night, but the hiker was not found by "
        "morning, the county's rescue coordinator said in a briefing on Tuesday.",
        "Teams with dogs covered the northern trails while a helicopter flew the valley "
        "until the weather closed in shortly after midnight and grounded the crew.",
        "The coordinator said the hiker was experienced and carried water, a map and a "
        "radio, and that the search would widen to the lakes on the far side of the pass.",
        "Family members asked anyone who had walked the trail over the weekend to call the "
        "sheriff's office with photos or notes about people they met on the way up.",
        "Officials said they would give another update in the evening, after the second "
        "day of searching, and thanked the volunteers who had come from three counties.",
    ],
)

BLOOMBERG_WALL = """<!DOCTYPE html><html><head><title>Bloomberg - Are you a robot?</title>
<link rel="stylesheet" href="/tosv2.css"></head><body>
<section class="box"><h1>We've detected unusual activity from your computer network</h1>
<p>To continue, please click the box below to let us know you're not a robot.</p>
<div id="px-block"></div>
<p>Why did this happen? Please make sure your browser supports JavaScript and cookies.
For more information you can review our <a href="/notices/tos">Terms of Service</a> and
<a href="/tosv2.html">Cookie Policy</a>.</p>
<p>Need help? For inquiries related to this message please contact our support team and
provide the reference ID below.</p><p>Block reference ID: 0a1b2c3d-0000-1111-2222</p>
</section></body></html>"""

DATADOME_WALL = """<html><head><title>nytimes.com</title>
<style>#cmsg{animation: A 1.5s;}</style></head><body>
<p id="cmsg">Please enable JS and disable any ad blocker</p>
<script data-cfasync="false">var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':'499AE34129FA',
't':'bv','s':43337,'e':'abc','host':'geo.captcha-delivery.com'}</script>
<script data-cfasync="false" src="https://ct.captcha-delivery.com/c.js"></script>
</body></html>"""

DATADOME_TEXT_WALL = """<html><head><title>Access check</title></head><body>
<h1>Hold on</h1><p>We are sorry for the trouble, but we suspect that you're a robot.
Please complete the check below to keep reading.</p></body></html>"""

CLOUDFLARE_WALL = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body>
<div class="main-wrapper"><h1>www.example.com</h1><h2>Checking if the site connection is
secure</h2></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'www.example.com',
cType: 'managed'};var a = document.createElement('script');
a.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8aa';
document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>"""

PAYWALL = article_page(
    "Members only",
    [
        "This article is for subscribers. Subscribe to continue reading, or sign in to "
        "continue if you already have an account.",
        "Already a subscriber? Log in to continue.",
    ],
)

SHORT_WITH_NEWSLETTER = article_page(
    "Council approves the new bike lanes",
    [
        "The city council voted six to one on Tuesday to add protected bike lanes on two "
        "downtown streets, after a year of public meetings about traffic and safety.",
        "Work is expected to begin in the spring and finish before the end of summer, the "
        "transportation department said, with detours posted a week ahead of each phase.",
        "Subscribe now to our free morning newsletter for more city news.",
    ],
)

JS_SHELL = """<!DOCTYPE html><html><head><title>X</title></head><body>
<noscript>JavaScript is not available.</noscript><div id="react-root"></div>
<script src="https://abs.twimg.com/responsive-web/client-web/main.js"></script></body></html>"""

LAWSUIT_ARCHIVED = article_page(
    "Founder sues the lab again, this time in federal court",
    [
        "A billionaire who helped fund an artificial intelligence lab filed a new lawsuit on "
        "Monday against the lab and two of its leaders, reviving a dispute he dropped in June.",
        "The complaint, filed in federal court in Northern California, says he was misled "
        "about a promise that the lab would stay a non-profit that shared its research openly.",
        "His lawyer said in a statement that the new filing was broader than the first one "
        "and that it described a scheme to turn the lab into a business.",
        "The lab did not answer a request for comment on Monday evening.",
    ],
    site="Example Times",
)


def availability_answer(url: str, timestamp: str) -> dict[str, object]:
    """The Wayback availability API's answer when it has a snapshot of `url`."""
    return {
        "url": url,
        "archived_snapshots": {
            "closest": {
                "status": "200",
                "available": True,
                "url": f"http://web.archive.org/web/{timestamp}/{url}",
                "timestamp": timestamp,
            }
        },
    }


# -- forty harbours: an article that cites enough pages for worker processes to pay ---------

HARBOURS = 40
_TOWNS = [
    a + b
    for a in ("Ard", "Bel", "Cor", "Dun", "Eas", "Fal", "Glen", "Hal")
    for b in ("more", "wick", "ford", "haven", "mouth")
]


def harbour_page(i: int) -> str:
    """The page at /harbour/{i}: what harbours_article's claim number i + 1 rests on."""
    town = _TOWNS[i]
    paragraphs = [
        f"The harbour of {town} handled {i * 7 + 3} fishing boats during the summer of 2023, "
        "the harbour master said in her yearly letter to the town council.",
        f"Repairs to the north pier of {town} finished in the spring, two weeks early, and the "
        "crane that had stood idle since the storm was working again by June.",
        "Visitor numbers rose as well, helped by a new ferry timetable and a cheaper ticket "
        "for families who came for the day.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    head = f"<head><title>{town} harbour</title></head>"
    return f"<html>{head}<body><article>{body}</article></body></html>"


def harbours_article(base: str) -> str:
    """An article with one claim a harbour, citing `base`/harbour/0 to /harbour/39."""
    lines = ["# Harbours", ""]
    lines += [
        f"The harbour of {_TOWNS[i]} handled {i * 7 + 3} fishing boats in 2023 [{i + 1}]."
        for i in range(HARBOURS)
    ]
    lines += ["", "## References", ""]
    lines += [f"{i + 1}. {base}/harbour/{i}" for i in range(HARBOURS)]
    return "\n".join(lines) + "\n"
