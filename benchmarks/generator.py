"""Seeded synthetic strategic plans in the shapes of the two bundled Core plans.

Two layouts, as the seeds are written:

``"2021"`` (the 2021-2022 action plan)::

    Members First
    Core Strategic Action Plan, 2021-2022
    Introduction / prose
    Areas of Focus
    1. Title
    Goal: ...
    Core Values: A; B; C
    Actions:
    1. text (*Owner; Owner*)
    Accountability & Assessment / prose
    Timeline for Outreach and Input / - **Month-Month YYYY:** text

``"2022"`` (the 2022-2025 strategic plan)::

    Core Strategic Plan 2022-2025
    Updated Plan Approved by the Core Board of Directors <date>
    prose, Core's Value Proposition for Members / prose
    Strategic Area N: Title
    statement
    N. goal
     - N.M. (Status) action

The vocabulary is library-association planning language (membership, mentoring, continuing
education, advocacy, section leaders, interest groups...). Owners, values and statuses are the
ones the bundled reference data knows, so a generated plan parses with no warnings.

Everything is a function of the seed: the same seed gives the same bytes (``random.Random`` with
a string seed is stable across runs and platforms).

Examples
--------
>>> plan = generate_plan(0, layout="2021")
>>> plan.layout, plan.areas >= 3, 6500 <= plan.size <= 7600
('2021', True, True)
>>> generate_plan(0, layout="2021").text == plan.text
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = [
    "LAYOUTS",
    "TARGET_BYTES",
    "SyntheticPlan",
    "generate_plan",
    "generate_corpus",
    "generate_crosswalk_pair",
    "reword",
]

LAYOUTS = ("2021", "2022")

#: The size of the 2021-2022 seed plan (7,129 bytes): every generated plan is about this big.
TARGET_BYTES = 7_000

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

ORGANISATIONS = (
    "Core", "the Division", "the Section", "the Round Table", "the Association",
)
THEMES = (
    "Members First", "Stronger Together", "Building Our Future", "Connecting Library Workers",
    "Leading Through Change", "Access for All", "Growing Our Community", "Bridges to the Future",
)
AREA_TITLES = (
    "Membership and Engagement", "Member-Initiated Programming", "Advocacy Coordination",
    "Career Building and Recognition", "Continuing Education", "Equity, Diversity and Inclusion",
    "Organizational Sustainability", "Communications and Outreach", "Leadership Development",
    "Standards and Best Practices", "Technology and Innovation", "Collections and Preservation",
    "Partnerships and Collaboration", "Publishing and Knowledge Sharing", "Financial Stewardship",
    "Member Recognition and Awards", "Library Workforce Development", "Community Engagement",
    "Research and Assessment", "Intellectual Freedom", "Volunteer Experience",
    "Section and Interest Group Vitality", "Professional Learning Networks", "Emerging Leaders",
)
VERBS = (
    "Develop", "Establish", "Refine", "Explore", "Provide", "Build", "Create", "Launch", "Expand",
    "Assess", "Review", "Coordinate", "Promote", "Strengthen", "Identify", "Design", "Pilot",
    "Implement", "Evaluate", "Document", "Publish", "Investigate", "Update", "Track", "Offer",
    "Align", "Support", "Define", "Streamline", "Sustain",
)
#: Rewordings of a verb, used when a later plan carries an action over in other words.
VERB_SYNONYMS = {
    "Develop": ("Create", "Build", "Design"), "Establish": ("Set up", "Create", "Launch"),
    "Refine": ("Revise", "Improve", "Update"), "Explore": ("Investigate", "Examine", "Study"),
    "Provide": ("Offer", "Deliver", "Supply"), "Build": ("Develop", "Grow", "Create"),
    "Create": ("Develop", "Build", "Establish"), "Launch": ("Start", "Introduce", "Roll out"),
    "Expand": ("Grow", "Extend", "Broaden"), "Assess": ("Evaluate", "Review", "Measure"),
    "Review": ("Assess", "Reexamine", "Audit"), "Coordinate": ("Organize", "Align", "Manage"),
    "Promote": ("Publicize", "Advance", "Champion"), "Strengthen": ("Reinforce", "Improve", "Deepen"),
    "Identify": ("Determine", "Find", "Map"), "Design": ("Develop", "Plan", "Shape"),
    "Pilot": ("Test", "Trial", "Prototype"), "Implement": ("Carry out", "Put in place", "Deliver"),
    "Evaluate": ("Assess", "Review", "Measure"), "Document": ("Record", "Describe", "Write up"),
    "Publish": ("Release", "Share", "Issue"), "Investigate": ("Explore", "Research", "Examine"),
    "Update": ("Revise", "Refresh", "Renew"), "Track": ("Monitor", "Measure", "Follow"),
    "Offer": ("Provide", "Deliver", "Host"), "Align": ("Harmonize", "Coordinate", "Match"),
    "Support": ("Assist", "Sustain", "Back"), "Define": ("Clarify", "Specify", "Articulate"),
    "Streamline": ("Simplify", "Consolidate", "Improve"), "Sustain": ("Maintain", "Continue", "Support"),
}
QUALIFIERS = (
    "a comprehensive", "a sustainable", "a low-barrier", "an inclusive", "a transparent",
    "a division-wide", "a scalable", "a member-driven", "a coordinated", "a long-term",
    "a regular", "an annual", "a cohesive", "a flexible", "an accessible", "a shared",
)
QUALIFIER_SYNONYMS = {
    "a comprehensive": "a complete", "a sustainable": "a durable", "a low-barrier": "an easy",
    "an inclusive": "a welcoming", "a transparent": "an open", "a division-wide": "an organization-wide",
    "a scalable": "an expandable", "a member-driven": "a member-led", "a coordinated": "a joint",
    "a long-term": "a multi-year", "a regular": "a recurring", "an annual": "a yearly",
    "a cohesive": "a unified", "a flexible": "an adaptable", "an accessible": "an open",
    "a shared": "a common",
}
OBJECTS = (
    "mentoring program", "engagement strategy", "marketing plan", "member engagement survey",
    "social media strategy", "advocacy agenda", "communications plan",
    "continuing education curriculum", "webinar series", "recognition award", "fundraising campaign",
    "volunteer pathway", "leadership institute", "onboarding process", "quarterly report to members",
    "handbook for leadership expectations", "journal publishing platform", "train-the-trainer program",
    "scholarship fund", "membership data dashboard", "assessment framework", "interest group structure",
    "programming proposal process", "outreach toolkit", "competencies framework", "podcast series",
    "virtual forum", "cataloging standards review", "preservation week campaign", "metadata workshop",
    "technology skills bootcamp", "buildings and facilities clinic", "conference program track",
    "member spotlight series", "policy review cycle", "sponsorship prospectus", "awards calendar",
    "institutional membership model", "peer review process", "career center",
)
#: What an action is about: appended to its object ("a webinar series on linked data").
TOPICS = (
    "linked data", "open access publishing", "collection assessment", "digital preservation",
    "e-resource licensing", "library facilities planning", "accessibility and universal design",
    "patron privacy", "metadata quality", "cataloging of diverse materials", "project management",
    "change management", "budgeting for small libraries", "supervisory skills", "data literacy",
    "emerging technologies", "integrated library systems", "disaster preparedness", "sustainable buildings",
    "workforce wellness", "anti-racist description", "rare and special collections", "institutional repositories",
    "user experience research", "library analytics", "copyright and fair use", "grant writing",
    "succession planning", "remote and hybrid work", "community partnerships", "assessment and evaluation",
    "acquisitions workflows", "authority control", "serials management", "discovery systems",
    "artificial intelligence in libraries", "library security", "evidence-based practice",
    "recruitment and retention", "strategic planning",
)
PURPOSES = (
    "that will serve as a model for additional mentoring programs",
    "to make the value and benefits of membership clear and visible to members",
    "that will continually identify and address barriers to participation",
    "focused on supporting early career members",
    "for members who work in different types of libraries and functional areas",
    "in support of the diversity, equity, and inclusion values of the division",
    "to better encourage program proposals from members",
    "that reflects the needs of technical services staff",
    "for library workers in public, academic, school, and special libraries",
    "to grow participation in interest groups and sections",
    "with maximum self-sufficiency for section leaders",
    "that advances the Membership stream of the ALA Pivot Strategy",
    "to celebrate excellence in iterative and ongoing work by individuals and teams",
    "to track member engagement across sections and committees",
    "so that new managers can build leadership skills",
    "to increase retention of first-year members",
    "that equips members to be effective active bystanders",
    "to reach members who cannot travel to conferences",
    "that connects emerging leaders with experienced practitioners",
    "to share knowledge about collections, metadata, and preservation practice",
    "that responds to current issues in the profession",
    "to recognize the contributions of volunteers",
    "for the rights and well being of library workers",
    "to diversify the speakers and authors in division publications",
    "that supports legislative advocacy at the state and national level",
    "to communicate the commonalities between members across library types",
    "in partnership with other divisions and round tables",
    "to ensure outreach occurs at key events such as Interest Group Week",
    "that uses a decentralized platform where members already gather",
    "to give members regular updates on progress toward the plan",
)
PURPOSE_REWORDINGS = {
    "to make": "in order to make", "that will": "which will", "focused on": "aimed at",
    "for members": "serving members", "to better": "to more effectively", "to grow": "to increase",
    "with maximum": "allowing maximum", "to track": "to monitor", "so that": "so",
    "to increase": "to improve", "to reach": "to engage", "to share": "to spread",
    "to recognize": "to honor", "to diversify": "to broaden", "to communicate": "to highlight",
    "in partnership": "working in partnership", "to ensure": "to make sure", "to give": "to provide",
    "to celebrate": "to recognize", "in support": "as support", "for library": "for all library",
    "for the": "protecting the",
}
EXAMPLES = (
    "e.g., sponsored memberships", "e.g., new managers", "e.g., legislative advocacy; social justice",
    "e.g., ALA Annual and Core Forum", "e.g., webinars and e-Forums", "e.g., town halls",
)
GOAL_OPENINGS = (
    "{org} will provide a clear articulation of",
    "{org} will investigate and implement low-barrier means for",
    "{org} will have a clear agenda and communications strategy for",
    "{org} will make participation accessible through",
    "{org} will strengthen",
    "{org} will grow and sustain",
    "{org} will be recognized as a leader in",
)
GOAL_TOPICS = (
    "the value and benefits of membership, programs, and services",
    "members to propose and deliver programming",
    "advocacy that reflects its values and supports its members",
    "the widest possible array of library workers",
    "continuing education that meets members where they are",
    "mentoring and leadership development at every career stage",
    "standards and best practices in technical services",
    "the financial sustainability of the division",
    "recognition of excellence in library work",
    "partnerships across ALA and the wider profession",
)
GOAL_TAILS = (
    "and will establish the division as a leader within ALA",
    "in ways that are flexible rather than prescriptive",
    "so that every member can find a place to contribute",
    "with regular reports to members on progress",
    "guided by the values of the division",
)
GOALS_2022 = (
    "Develop overall member engagement and public relations campaign",
    "Attract and retain members and explore new models for institutional membership",
    "Influence the profession and provide positive member experiences",
    "Help members develop skills throughout their careers",
    "Offer continuing education programs that meet member needs",
    "Recognize excellence and celebrate member achievements",
    "Advance equity, diversity, and inclusion in all division activities",
    "Strengthen the financial health of the division",
    "Share knowledge through publications and open access platforms",
    "Support section and interest group leaders in their work",
    "Champion intellectual freedom and the rights of library workers",
    "Build partnerships with other divisions and associations",
)
INTRO_SENTENCES = (
    "The plan provides a framework for concentrating specific efforts that will advance the mission "
    "of the division and meet the needs of our members.",
    "The plan communicates a focused, agile, and action-oriented agenda for the division.",
    "It is primarily informed by conversations held through town halls and e-Forum discussions.",
    "Breakout sessions of the Leadership Team and the Board of Directors surfaced a common central "
    "theme of putting members first.",
    "Acknowledging that members will continue to look for places to be heard, we have developed "
    "Areas of Focus intended to strengthen the connection of the division to its members.",
    "Each Area of Focus has been guided by and explicitly mapped to the values of the division.",
    "The goals and actions below are intended to communicate specific and measurable activities that "
    "will help achieve the goals, in ways that are flexible rather than prescriptive.",
    "Together, the ALA Pivot Strategy and this plan will guide the work of our staff over the next "
    "two years.",
    "Section leaders, committee chairs, and interest group chairs were invited to comment on a draft.",
    "The plan is not a long-term strategic plan, nor does it describe all of the activities of the "
    "division that remain important to members.",
)
AREA_STATEMENTS = (
    "Help members develop skills throughout their careers.",
    "Help members find a place to contribute and be heard.",
    "Help members connect across library types and functional areas.",
    "Help members lead change in their libraries and communities.",
    "Help members share what they know with the profession.",
    "Help members take part in the work of the division wherever they are.",
)
STREAM_SENTENCE = (
    "The Areas of Focus, goals, and action items below are also closely aligned with the "
    "[ALA 5-Year Pivot Strategy](#), in particular the Membership and Continuing Education impact "
    "streams of the pivot plan."
)
ACCOUNTABILITY = (
    "Each action item listed above has been assigned to specific groups or committees, which will be "
    "asked to build mechanisms for addressing and enabling progress on the action item.",
    "The Leadership Team and the Board of Directors will develop regular communication channels to "
    "ensure groups and committees are supported in their efforts.",
    "The Board of Directors and the ALA Staff will work together to issue quarterly updates to members.",
    "Committee Chairs will report progress at each Board meeting.",
)
TIMELINE = (
    "Leadership Team will work with ALA Staff and the Board of Directors to finalize the action plan.",
    "Leadership Team and ALA Staff will engage with Section Leaders to elicit feedback and refine "
    "assignments.",
    "Section Leaders will engage with Committee Chairs and Interest Group Chairs, especially those "
    "assigned specific action items.",
    "Presentation of the final plan at the ALA Annual Conference.",
    "First quarterly update to members on progress.",
)
MONTH_RANGES = ("January-February", "March-April", "April-May", "June", "August", "September-October",
                "November-December")
VALUES = ("Transparency", "Diversity", "Inclusion", "Knowledge Sharing", "Collaboration",
          "Sustainability", "Innovation")
OWNERS = (
    "Board of Directors", "Communications Coordination Committee",
    "Leadership Development and Mentoring Committee", "Diversity and Inclusion Committee",
    "Fundraising and Sponsorship Committee", "Competencies Development Committee",
    "Member Engagement Coordination Committee", "Awards & Scholarships Coordination Committee",
    "ALA Staff", "Section Leaders", "Content Coordination Committee", "Advocacy Coordination Committee",
    "Continuing Education Coordination Committee", "Leadership Team", "Metadata & Collections Section",
    "Leadership & Management Section", "Technology Section", "Buildings and Operations Section",
    "Publications Coordination Committee", "Standards Coordination Committee",
    "Budget and Finance Committee", "Preservation Outreach Committee", "Forum Planning Committee",
)
STATUSES = ("(Completed)", "(Revision March 2024)", "(New goal as of 2023)", "(In progress)",
            "(Revised November 2022)", "(Completed March 2024)")


# --------------------------------------------------------------------------------------------
# Model of what was generated
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SyntheticPlan:
    """A generated plan: its text and the counts the parser should find in it.

    ``goals`` and ``actions`` count items by kind; ``items`` is their sum (every item of the
    plan, leaves or not). ``size`` is the UTF-8 length of ``text`` in bytes.
    """

    plan_id: str
    layout: str
    seed: str
    text: str
    areas: int
    goals: int
    actions: int

    @property
    def items(self) -> int:
        return self.goals + self.actions

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

def _action(rng: random.Random) -> str:
    """One action sentence, without its final period: verb, object, purpose."""
    verb = rng.choice(VERBS)
    obj = rng.choice(OBJECTS)
    qual = rng.choice(QUALIFIERS)
    purpose = rng.choice(PURPOSES)
    text = f"{verb} {qual} {obj}"
    r = rng.random()
    if r < 0.75:
        text += f" on {rng.choice(TOPICS)}"
    if r < 0.12:
        text += f" ({rng.choice(EXAMPLES)})"
    text += f" {purpose}"
    if r > 0.75:
        second = rng.choice(PURPOSES)
        if second != purpose:
            text += f", and {rng.choice(VERBS).lower()} a {rng.choice(OBJECTS)} on {rng.choice(TOPICS)} {second}"
    return text


def reword(text: str, rng: random.Random) -> str:
    """The same action in other words, as a later plan cycle would carry it over.

    Swaps the opening verb for a synonym, and (each with some chance) the qualifier and the
    purpose's connecting words; sometimes drops a trailing clause.

    >>> reword("Develop a comprehensive mentoring program focused on supporting early career members",
    ...        random.Random(1))
    'Create a comprehensive mentoring program aimed at supporting early career members'
    """
    words = text.split(" ", 1)
    verb, rest = words[0], words[1] if len(words) > 1 else ""
    text = f"{rng.choice(VERB_SYNONYMS.get(verb, (verb,)))} {rest}".strip()
    if rng.random() < 0.5:
        for old, new in QUALIFIER_SYNONYMS.items():
            if f" {old} " in text:
                text = text.replace(f" {old} ", f" {new} ", 1)
                break
    for old, new in PURPOSE_REWORDINGS.items():
        if f" {old} " in text:
            text = text.replace(f" {old} ", f" {new} ", 1)
            break
    if ", and " in text and rng.random() < 0.5:
        text = text.split(", and ", 1)[0]
    return text


def _goal_2021(rng: random.Random, org: str) -> str:
    return (f"{rng.choice(GOAL_OPENINGS).format(org=org)} {rng.choice(GOAL_TOPICS)}, "
            f"{rng.choice(GOAL_TAILS)}.")


def _goal_2022(rng: random.Random) -> str:
    """A numbered goal of the 2022 layout: one of the plan's goals, often narrowed to a topic."""
    goal = rng.choice(GOALS_2022)
    return goal if rng.random() < 0.3 else f"{goal}, with a focus on {rng.choice(TOPICS)}"


def _owners(rng: random.Random) -> str:
    k = 1 if rng.random() < 0.6 else 2
    return "; ".join(rng.sample(OWNERS, k))


def _intro(rng: random.Random, n_areas: int) -> list[str]:
    """Two or three intro paragraphs (the last one names the Pivot Strategy streams)."""
    pool = list(INTRO_SENTENCES)
    rng.shuffle(pool)
    paras = [" ".join(pool[:3]), " ".join(pool[3:6])]
    words = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    if n_areas in words:
        paras.append(f"We have developed {words[n_areas]} Areas of Focus for this plan. {STREAM_SENTENCE}")
    else:
        paras.append(STREAM_SENTENCE)
    return paras


# --------------------------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------------------------

def _render_2021(rng, org, year, theme, areas) -> str:
    """``areas``: list of (title, goal, values, [(action, owners)])."""
    out = ["", theme, "", f"Core Strategic Action Plan, {year}-{year + 1}", "", "Introduction", ""]
    for para in _intro(rng, len(areas)):
        out += [para, ""]
    out += ["Areas of Focus", ""]
    for n, (title, goal, values, actions) in enumerate(areas, start=1):
        out += [f"{n}. {title}", "", f"Goal: {goal}", "", f"Core Values: {'; '.join(values)}", "",
                "Actions:", ""]
        out += [f"{k}. {text}. (*{owners}*)" for k, (text, owners) in enumerate(actions, start=1)]
        out.append("")
    out += ["Accountability & Assessment", "", " ".join(ACCOUNTABILITY[:3]), "",
            "Timeline for Outreach and Input", ""]
    months = sorted(rng.sample(range(len(MONTH_RANGES)), 4))
    for k, m in enumerate(months):
        out.append(f"- **{MONTH_RANGES[m]} {year}:** {TIMELINE[k]}")
    out.append("")
    return "\n".join(out)


def _render_2022(rng, org, year, areas) -> str:
    """``areas``: list of (title, statement, [(goal, [(status, action)])]).

    Goals are numbered from 1 in each area, as in the 2022-2025 plan ("Strategic Area 2" holds
    goals 2.2 and 2.3 under its goal 2)."""
    out = ["", "", f"Core Strategic Plan {year}-{year + 3}", "",
           f"Updated Plan Approved by the Core Board of Directors April 18, {year + 2}", ""]
    intro = _intro(rng, len(areas))
    out += [intro[0], "", "Core's Value Proposition for Members", "",
            "At some phases of your career, you will need Core. At other phases, Core will need you.", ""]
    for n, (title, statement, goals) in enumerate(areas, start=1):
        out += [f"Strategic Area {n}: {title}", "", statement, ""]
        for goal_no, (goal, actions) in enumerate(goals, start=1):
            out.append(f"{goal_no}. {goal}")
            for k, (status, text) in enumerate(actions, start=1):
                out.append(f" - {goal_no}.{k}. {status + ' ' if status else ''}{text}")
        out.append("")
    return "\n".join(out)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def generate_plan(seed, *, layout: str = "2021", target_bytes: int = TARGET_BYTES,
                  plan_id: str | None = None) -> SyntheticPlan:
    """One plan of about ``target_bytes`` bytes (within a few hundred) in ``layout``.

    Parameters
    ----------
    seed : int or str
        Everything is a function of it.
    layout : {"2021", "2022"}
        The shape of the 2021-2022 action plan or of the 2022-2025 strategic plan.
    target_bytes : int
        The size to reach: items are added until the text is at least this long, less half an
        average item.
    plan_id : str, optional
        Default ``synthetic-<layout>-<seed>``.

    Returns
    -------
    SyntheticPlan
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    rng = random.Random(f"coreplan-bench:{layout}:{seed}")
    plan_id = plan_id or f"synthetic-{layout}-{seed}"
    org = "Core"
    year = rng.randrange(2015, 2030)
    titles = rng.sample(AREA_TITLES, len(AREA_TITLES))
    if layout == "2021":
        theme = rng.choice(THEMES)
        n_areas = rng.randint(3, 4)
        areas = [(titles[i], _goal_2021(rng, org), rng.sample(VALUES, 3), []) for i in range(n_areas)]

        def render():
            return _render_2021(random.Random(f"{seed}:render"), org, year, theme, areas)

        k = 0
        while True:
            areas[k % n_areas][3].append((_action(rng), _owners(rng)))
            k += 1
            if _size(render()) >= target_bytes - 80:
                break
        text = render()
        n_goals, n_actions = n_areas, k
    else:
        n_areas = rng.randint(2, 4)
        goals_pool = rng.sample(GOALS_2022, len(GOALS_2022))
        areas = []
        g = 0
        for i in range(n_areas):
            goals = []
            for _ in range(rng.randint(2, 3)):
                goals.append((goals_pool[g % len(goals_pool)], []))
                g += 1
            statement = rng.choice(AREA_STATEMENTS)
            areas.append((titles[i], statement, goals))
        flat = [goal for _, _, goals in areas for goal in goals]

        def render():
            return _render_2022(random.Random(f"{seed}:render"), org, year, areas)

        k = 0
        while True:
            status = rng.choice(STATUSES) if rng.random() < 0.3 else ""
            flat[k % len(flat)][1].append((status, _action(rng)))
            k += 1
            if _size(render()) >= target_bytes - 60:
                break
        text = render()
        n_goals, n_actions = len(flat), k
    return SyntheticPlan(plan_id, layout, str(seed), text, n_areas, n_goals, n_actions)


def generate_corpus(n: int, *, seed: int = 0, target_bytes: int = TARGET_BYTES) -> list[SyntheticPlan]:
    """``n`` plans, layouts alternating (2021 first), each about ``target_bytes`` bytes.

    >>> [(p.plan_id, p.layout) for p in generate_corpus(2)]
    [('synthetic-0-0000', '2021'), ('synthetic-0-0001', '2022')]
    """
    return [
        generate_plan(f"{seed}-{i}", layout=LAYOUTS[i % 2], target_bytes=target_bytes,
                      plan_id=f"synthetic-{seed}-{i:04d}")
        for i in range(n)
    ]


def generate_crosswalk_pair(n_items: int = 10_000, *, seed: int = 0, carried: float = 0.3,
                            reworded: float = 0.3) -> tuple[SyntheticPlan, SyntheticPlan]:
    """Two related plan cycles of ``n_items`` items each (goals and actions together).

    The old plan is in the 2021 layout (areas of one labelled goal and 99 actions each); the
    new one in the 2022 layout (areas of 20 numbered goals with 9 actions each). Of the new
    plan's actions, a share ``carried`` repeats an old action word for word (often with a
    status such as "(Completed)" or "(Revision March 2024)"), a share ``reworded`` is an old
    action in other words (:func:`reword`), and the rest are new. ``n_items`` must be a multiple
    of 200 (at least 200) so both shapes divide it evenly, or below 200, when both plans have a
    single area.

    >>> old, new = generate_crosswalk_pair(400)
    >>> (old.items, new.items, old.areas, new.areas)
    (400, 400, 4, 2)
    """
    if n_items < 2:
        raise ValueError("n_items must be at least 2")
    if n_items >= 200 and n_items % 200:
        raise ValueError("n_items must be a multiple of 200 (or below 200)")
    rng = random.Random(f"coreplan-bench:crosswalk:{seed}:{n_items}")
    titles = list(AREA_TITLES)
    # Old plan: areas of 1 goal + 99 actions.
    per_old = 100 if n_items >= 200 else n_items
    n_old_areas = n_items // per_old
    old_areas, old_actions = [], []
    for i in range(n_old_areas):
        actions = []
        for _ in range(per_old - 1):
            text = _action(rng)
            actions.append((text, _owners(rng)))
            old_actions.append(text)
        old_areas.append((titles[i % len(titles)], _goal_2021(rng, "Core"), rng.sample(VALUES, 3), actions))
    old_text = _render_2021(random.Random(f"{seed}:old"), "Core", 2021, "Members First", old_areas)
    old = SyntheticPlan(f"synthetic-old-{n_items}", "2021", str(seed), old_text, n_old_areas, n_old_areas,
                        n_items - n_old_areas)
    # New plan: areas of 20 goals x (1 + 9 actions), or one area of goals of 10 items.
    if n_items >= 200:
        n_new_areas, goals_per_area = n_items // 200, 20
    else:
        n_new_areas, goals_per_area = 1, max(1, n_items // 10)
    per_goal = n_items // (n_new_areas * goals_per_area) - 1
    n_new_actions = n_new_areas * goals_per_area * per_goal
    pool = rng.sample(old_actions, min(len(old_actions), n_new_actions))
    take = iter(pool)
    new_areas = []
    for i in range(n_new_areas):
        goals = []
        for _ in range(goals_per_area):
            actions = []
            for _ in range(per_goal):
                r = rng.random()
                if r < carried:
                    text = next(take, None) or _action(rng)
                    status = rng.choice(STATUSES[:2] + STATUSES[4:]) if rng.random() < 0.5 else ""
                elif r < carried + reworded:
                    source = next(take, None)
                    text = reword(source, rng) if source else _action(rng)
                    status = "(Revision March 2024)" if rng.random() < 0.3 else ""
                else:
                    text = _action(rng)
                    status = "(New goal as of 2023)" if rng.random() < 0.2 else ""
                actions.append((status, text))
            goals.append((_goal_2022(rng), actions))
        statement = rng.choice(AREA_STATEMENTS)
        new_areas.append((titles[(i + 7) % len(titles)], statement, goals))
    new_text = _render_2022(random.Random(f"{seed}:new"), "Core", 2022, new_areas)
    n_goals = n_new_areas * goals_per_area
    new = SyntheticPlan(f"synthetic-new-{n_items}", "2022", str(seed), new_text, n_new_areas, n_goals,
                        n_new_actions)
    return old, new
