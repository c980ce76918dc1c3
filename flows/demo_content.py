"""Invented material for the demo news site: outlets, cast, story topics and sentence patterns.

Everything here is made up. Sentence templates use str.format slots; assembly lives in flows.demo_site.
A quote "A|B" is one quote split around its speaker: “A,” Vasquez said, “B.”
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """A member of the invented cast, introduced by title or by apposition."""

    full: str
    pronoun: str  # "she" / "he", used for a follow-up quote in the same paragraph
    appos: str  # apposition for the first mention: "Elena Vasquez, the mayor of Port Avery,"
    title: str | None = None  # short title for the first mention: "Mayor Elena Vasquez"

    @property
    def surname(self) -> str:
        """The name used after the first mention."""
        return self.full.split()[-1]


@dataclass(frozen=True)
class Org:
    """An invented organisation; `article` says whether the name takes "the"."""

    name: str
    article: bool = True


@dataclass(frozen=True)
class Topic:
    """A running story: the facts, and who says what about it."""

    key: str
    section: str
    tags: tuple[str, ...]
    place: str
    org: str  # key into ORGS: the organisation at the centre of the story
    headlines: tuple[str, ...]
    ledes: tuple[str, ...]
    facts: tuple[str, ...]
    # person key -> (direct quotes, indirect claims as reported clauses)
    voices: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    rumours: tuple[str, ...] = ()  # clauses told by anonymous sources or by the other outlet
    silent: tuple[str, ...] = ()  # person or org keys who decline to comment


PLACES = (
    "Port Avery", "Northvale", "Kellsbridge", "Marrow Bay", "Eastholm",
    "Wrenfield", "Lower Tolland", "Hallowford", "Brinmouth", "Calder Vale",
)

ORGS = {
    "harbour": Org("Port Avery Harbour Authority"),
    "council": Org("Port Avery City Council"),
    "meridian": Org("Meridian Components", article=False),
    "teachers": Org("Coastal Teachers' Union"),
    "hospital": Org("Kellsbridge General Hospital", article=False),
    "fishers": Org("Marrow Bay Fishermen's Association"),
    "university": Org("University of Northvale"),
    "freight": Org("Avery Freight Lines", article=False),
    "water": Org("Northvale Water Board"),
    "transit": Org("Northvale Transit", article=False),
    "quayside": Org("Quayside Homes", article=False),
    "tenants": Org("Eastholm Tenants' Association"),
    "court": Org("Northvale District Court"),
    "school": Org("Wrenfield Primary School", article=False),
}

PEOPLE = {
    "vasquez": Person("Elena Vasquez", "she", "the mayor of Port Avery", "Mayor"),
    "okafor": Person("Tobias Okafor", "he", "the chief engineer of the Port Avery Harbour Authority"),
    "lindqvist": Person("Margit Lindqvist", "she", "who chairs the council's finance committee", "Councillor"),
    "haddadi": Person("Omar Haddadi", "he", "the leader of the opposition on the city council", "Councillor"),
    "karadeniz": Person("Yusuf Karadeniz", "he", "who runs a bakery on the eastern quay"),
    "pemberton": Person("Rosalind Pemberton", "she", "a minister in the regional government"),
    "raghunathan": Person("Priya Raghunathan", "she", "the chief executive of Kellsbridge General Hospital", "Dr."),
    "petrosyan": Person("Nadia Petrosyan", "she", "an epidemiologist at Kellsbridge General Hospital", "Dr."),
    "oduya": Person("Martin Oduya", "he", "a paramedic who has worked in Kellsbridge for 15 years"),
    "achterberg": Person("Samuel Achterberg", "he", "the president of the Coastal Teachers' Union"),
    "moreau": Person("Colette Moreau", "she", "the head teacher of Wrenfield Primary School"),
    "brevik": Person("Hannah Brevik", "she", "a spokeswoman for Meridian Components"),
    "castellano": Person("Bruno Castellano", "he", "a machinist who has worked at the plant for 22 years"),
    "mensah": Person("Kwame Mensah", "he", "the chairman of the Marrow Bay Fishermen's Association"),
    "sollberg": Person("Ingrid Sollberg", "she", "a marine biologist at the University of Northvale", "Professor"),
    "furlong": Person("Declan Furlong", "he", "the chief executive of Avery Freight Lines"),
    "thrale": Person("Gideon Thrale", "he", "the director of the Northvale Water Board"),
    "zeller": Person("Annika Zeller", "she", "a chemist who lives in Calder Vale"),
    "marchetti": Person("Theo Marchetti", "he", "the general manager of Northvale Transit"),
    "osei": Person("Wilhelmina Osei", "she", "a bus driver and union representative"),
    "ribeiro": Person("Joaquim Ribeiro", "he", "the founder of Quayside Homes"),
    "vinterberg": Person("Clara Vinterberg", "she", "the head of the Eastholm Tenants' Association"),
    "holloway": Person("Beatrix Holloway", "she", "the judge presiding over the case", "Judge"),
    "dunmore": Person("Rafael Dunmore", "he", "the head of the Northvale police fraud unit", "Chief Inspector"),
    "nakashima": Person("Felix Nakashima", "he", "an economist at the University of Northvale"),
    "delahunt": Person("Cormac Delahunt", "he", "the fire chief of Marrow Bay"),
}

# Bylines: staff reporters appear only in bylines, never in the story text.
OUTLET_STAFF = {
    "harbour-courier": ("Miriam Tallis", "Jonah Pettigrew", "Aoife Brannagh", "Rui Takamori", "Selma Avdic"),
    "northvale-ledger": ("Dorian Whitcombe", "Leonie Fairbrass", "Emeka Nwosu", "Greta Halvorsen", "Pavel Dusek"),
}

# Readers' comments under articles: page furniture that must not reach the article text.
COMMENTS = (
    ("quaysidequeen", "Typical. Nobody ever asks the people who actually live here."),
    ("oldsalt42", "I remember when this town could fix things in a week."),
    ("N. Farrow", "Good reporting, thank you. Please keep following this one."),
    ("tollandtom", "Where is the money going? That is the only question that matters."),
    ("brinmouth_mum", "My kids are affected by this and nobody has written to us."),
    ("pedant99", "The photo caption has the wrong street name, by the way."),
)

# Attribution sentence patterns. {q}: quote, {c}: reported clause, {s}/{S}: speaker (capitalised at the start),
# {p}/{P}: pronoun of the previous speaker. Position of the speaker decides how a first mention is written.
DIRECT = (
    ("“{q},” {s} said.", "said", "mid"),
    ("“{q},” said {s}.", "said", "end"),
    ("{S} said: “{q}.”", "said", "subject"),
    ("“{q},” {s} told reporters.", "told", "mid"),
)
SPLIT = ("“{q},” {s} said, “{q2}.”", "said", "mid")
INDIRECT = (
    ("{S} said that {c}.", "said", "subject"),
    ("{S} said {c}.", "said", "subject"),
    ("{S} told reporters that {c}.", "told", "subject"),
    ("{S} warned that {c}.", "warned", "subject"),
    ("{C}, {s} said.", "said", "mid"),
)
ACCORDING = (
    ("According to {s}, {c}.", "according to", "end"),
    ("{C}, according to {s}.", "according to", "end"),
)
FOLLOW_DIRECT = (
    ("“{q},” {p} said.", "said"),
    ("“{q},” {p} added.", "added"),
)
FOLLOW_INDIRECT = (("{P} added that {c}.", "added"),)
NO_COMMENT = (
    ("{S} declined to comment.", "declined to comment"),
    ("{S} did not respond to a request for comment.", "did not respond to a request for comment"),
)
ANONYMOUS = (
    ("Officials who spoke on condition of anonymity said {c}.", "said", "Officials who spoke on condition of anonymity"),
    ("A senior official said that {c}.", "said", "A senior official"),
    ("People familiar with the matter said {c}.", "said", "People familiar with the matter"),
    ("{C}, according to people familiar with the matter.", "according to", "people familiar with the matter"),
)
# A report resting on the other outlet: {o} is its name as written in running text.
OUTLET_REPORT = (
    ("{O} reported on {day} that {c}.", "reported", "indirect"),
    ("{C}, according to {o}.", "according to", "according_to"),
)
# How each outlet is named by the other one: (text with article, entity text).
OUTLET_MENTION = {
    "harbour-courier": ("the Harbour Courier", "Harbour Courier"),
    "northvale-ledger": ("the Daily Ledger", "Daily Ledger"),
}

# Light edits a syndicating outlet makes to a sentence of the copy.
COPY_EDITS = (
    ("more than", "over"),
    ("about", "around"),
    (" will ", " is expected to "),
    ("began", "started"),
    ("last year", "in the past year"),
)

# Closing sentences any story can end on.
BACKGROUND = (
    "The matter is expected to come before the council again at its next meeting on {day2}.",
    "A public meeting on the issue is planned for {day2} evening at the community hall in {place}.",
    "Residents can send written comments until the end of the month.",
    "Further details are due to be published on {day2}.",
    "The decision can still be appealed within 28 days.",
)

TOPICS = (
    Topic(
        key="bridge", section="Local", tags=("transport", "infrastructure"), place="Port Avery", org="harbour",
        headlines=(
            "Swing bridge in {place} to stay closed for {n} more weeks",
            "Repairs to {place} swing bridge run over schedule",
            "Shops near closed {place} bridge count the cost as repairs drag on",
        ),
        ledes=(
            "The swing bridge that links the two halves of {place} will stay closed for at least {n} more weeks, the {org} said on {day}.",
            "Engineers found fresh corrosion in the main hinge of the {place} swing bridge on {day}, pushing back its reopening by {n} weeks.",
        ),
        facts=(
            "The bridge carries about {big} vehicles a day and has been shut since a routine inspection in January.",
            "Drivers have been sent on a detour of more than {n} kilometres through the industrial estate.",
            "A temporary ferry now runs every twenty minutes between the two quays, but it stops at seven in the evening.",
            "The repair contract, worth {money}, was awarded to a firm from {place2} last year.",
            "Traffic on the detour route rose by {pct} percent in the first month of the closure.",
            "The bridge was built in 1962 and was last refurbished in the early nineties.",
            "Pedestrians can still cross on a narrow walkway on the northern side during daylight hours.",
        ),
        voices={
            "vasquez": (
                ("We will respond|if it is needed", "Nobody wanted this closure to last into the spring|but safety has to come first"),
                ("the city would pay for a second ferry if the delay grew any longer",),
            ),
            "okafor": (
                ("The corrosion was worse than anything the original survey suggested", "We will not reopen this bridge until every bolt has been checked"),
                ("the new hinge had to be cast to order and could not be bought off the shelf",),
            ),
            "karadeniz": (
                ("My takings are down by a third since the bridge shut",),
                ("half of his regular customers had stopped coming across from the western quay",),
            ),
            "pemberton": (
                ("The region will not leave Port Avery to carry this bill alone",),
                ("the regional government was ready to share the cost of the repairs",),
            ),
        },
        rumours=(
            "the council had been warned about the hinge as early as 2019",
            "the repairs would cost almost twice the original estimate",
        ),
        silent=("harbour", "haddadi"),
    ),
    Topic(
        key="hospital", section="Health", tags=("health", "hospital"), place="Kellsbridge", org="hospital",
        headlines=(
            "Emergency waits at {org} reach record high",
            "Patients wait up to {n} hours in {place} emergency department",
            "{org} opens overflow ward as winter pressure builds",
        ),
        ledes=(
            "Patients at the emergency department of {org} waited an average of {n} hours to be seen last week, the longest delay since records began.",
            "{org} opened an overflow ward on {day} after ambulances queued outside its emergency department for most of the night.",
        ),
        facts=(
            "The hospital serves about {n2} thousand people across {place} and the surrounding villages.",
            "Ambulance crews reported waiting more than {n} hours to hand over patients on three separate nights.",
            "The overflow ward has {n2} beds and is staffed largely by agency nurses.",
            "A flu outbreak among staff left {pct} percent of nursing shifts uncovered in the first week of the month.",
            "The regional health board has promised an extra {money} for the hospital next year.",
            "Two operating theatres have been closed since the autumn for a ventilation upgrade.",
        ),
        voices={
            "raghunathan": (
                ("Our staff are doing extraordinary work in conditions nobody should have to accept", "We expect the pressure to ease|but not before the end of the month"),
                ("the hospital had cancelled all non-urgent surgery for two weeks",),
            ),
            "petrosyan": (
                ("This is the worst flu season we have seen in a decade",),
                ("the number of flu admissions had doubled in a fortnight",),
            ),
            "oduya": (
                ("We sat outside those doors for six hours with a patient who needed a bed",),
                ("crews were being kept from new emergency calls while they waited",),
            ),
        },
        rumours=(
            "the health board was considering moving some patients to {place2}",
            "two senior consultants had resigned in protest over staffing",
        ),
        silent=("hospital",),
    ),
    Topic(
        key="strike", section="Education", tags=("education", "strike"), place="Wrenfield", org="teachers",
        headlines=(
            "Teachers in {place} vote to strike over pay",
            "School strike set for {day} as talks with the {org} collapse",
            "Parents brace for school closures as teachers walk out",
        ),
        ledes=(
            "Teachers across {place} will strike on {day} after members of the {org} voted by a large majority to reject the latest pay offer.",
            "Talks between the {org} and the regional education office broke down on {day}, making a one-day strike next week all but certain.",
        ),
        facts=(
            "About {big} teachers in {n} schools are expected to take part in the walkout.",
            "The regional education office offered a pay rise of {pct} percent spread over two years.",
            "Union members voted by a margin of more than four to one to reject the offer.",
            "Most primary schools in {place} will close for the day, while secondary schools will teach exam classes only.",
            "It would be the first teachers' strike in the region since 2011.",
        ),
        voices={
            "achterberg": (
                ("Nobody goes into teaching to strike|but our members have run out of patience", "The offer on the table does not even cover the rise in rents"),
                ("the union would call off the strike if the offer was improved before {day2}",),
            ),
            "moreau": (
                ("We will keep the building open for the children who have nowhere else to go",),
                ("three of her teachers had left for better-paid jobs in {place2} last year",),
            ),
            "pemberton": (
                ("This offer is fair and it is the most the region can afford",),
                ("a bigger pay rise would mean cutting money for school repairs",),
            ),
        },
        rumours=(
            "the education office was preparing a revised offer worth about {pct} percent",
            "some head teachers had privately urged the region to return to the table",
        ),
        silent=("moreau",),
    ),
    Topic(
        key="plant", section="Business", tags=("jobs", "industry"), place="Eastholm", org="meridian",
        headlines=(
            "{org} to close {place} plant with the loss of {big} jobs",
            "Workers stunned as {org} announces plant closure",
            "What the {place} factory closure means for the town",
        ),
        ledes=(
            "{org} will close its factory in {place} by the end of the year, putting {big} jobs at risk, the company told staff on {day}.",
            "Workers at the {org} plant in {place} were told on {day} that production would move abroad and the site would shut within months.",
        ),
        facts=(
            "The plant makes gearbox parts for farm machinery and has operated in {place} since 1978.",
            "It is the largest private employer in the town, ahead of the regional hospital.",
            "Production will move to a newer factory the company owns abroad.",
            "The company reported a loss of {money} last year after two of its largest customers cut orders.",
            "Staff were offered redundancy pay of {n} weeks for every year of service.",
        ),
        voices={
            "brevik": (
                ("This was a painful decision and it was not taken lightly",),
                ("the company would help workers find new jobs and pay for retraining",),
            ),
            "castellano": (
                ("My father worked on this floor and I thought my son would too|but that is over now",),
                ("many of his colleagues were too old to move for work",),
            ),
            "nakashima": (
                ("For a town this size, losing that many jobs at once is a shock that lasts a generation",),
                ("every job at the plant supported roughly one more job in local shops and services",),
            ),
            "vasquez": (
                ("We will fight for every one of these jobs",),
                ("the city would ask the company to delay the closure by a year",),
            ),
        },
        rumours=(
            "a rival manufacturer had looked at buying the site last year",
            "the company had received a regional grant to modernise the plant in 2022",
        ),
        silent=("meridian", "castellano"),
    ),
    Topic(
        key="fishing", section="Business", tags=("fishing", "environment"), place="Marrow Bay", org="fishers",
        headlines=(
            "Fishing quota cut hits {place} fleet",
            "{place} fishermen protest as cod catch limit is halved",
            "Scientists defend quota cut as {place} boats stay in harbour",
        ),
        ledes=(
            "The regional fisheries office on {day} cut the cod quota for the {place} fleet by {pct} percent, the deepest cut in a generation.",
            "More than {n2} fishing boats stayed in the harbour at {place} on {day} in protest against a sharp cut to this year's cod quota.",
        ),
        facts=(
            "The fleet landed about {big} tonnes of cod last year, worth an estimated {money}.",
            "Cod stocks in the bay have fallen for six years in a row, according to survey data.",
            "Boats will be allowed to switch part of their quota to haddock and whiting.",
            "The fish market in {place} employs about {n2} people outside the fishing season.",
            "An appeal against the decision can be lodged within {n} weeks.",
        ),
        voices={
            "mensah": (
                ("You cannot run a boat on half a catch|and the banks know it", "We are not against conservation, we are against being ignored"),
                ("at least a dozen boats would be sold before the summer",),
            ),
            "sollberg": (
                ("If we do nothing now, there will be no cod left to argue about",),
                ("young cod had almost disappeared from the survey nets in the past two years",),
            ),
            "pemberton": (
                ("We will look at support for the families who depend on this fleet",),
                ("the region would set up a hardship fund for crews",),
            ),
        },
        rumours=(
            "the fisheries office had considered an even deeper cut",
            "buyers from {place2} were already offering lower prices for the remaining catch",
        ),
        silent=("sollberg",),
    ),
    Topic(
        key="water", section="Local", tags=("water", "health"), place="Calder Vale", org="water",
        headlines=(
            "Boil-water notice issued for {place}",
            "{org} says {place} tap water safe again after {n} days",
            "Questions grow over {place} water contamination",
        ),
        ledes=(
            "Residents of {place} were told on {day} to boil their tap water after routine tests found bacteria in the supply.",
            "The {org} lifted a boil-water notice for {place} on {day} after {n} days of clean test results.",
        ),
        facts=(
            "About {big} households in {place} and two neighbouring villages were affected by the notice.",
            "Bottled water was handed out from the sports centre car park for {n} days.",
            "The contamination was traced to a cracked pipe at a pumping station north of the village.",
            "Schools in {place} brought in drinking water by lorry while the notice was in force.",
            "The pumping station was last inspected about {n2} months ago.",
        ),
        voices={
            "thrale": (
                ("The water is safe to drink and we are sorry for the disruption", "We found the fault quickly|and we fixed it properly"),
                ("the cracked pipe had been replaced and the whole network flushed",),
            ),
            "zeller": (
                ("Nobody told us anything for the first two days",),
                ("residents deserved an independent inquiry into how the crack was missed",),
            ),
            "petrosyan": (
                ("We have not seen any rise in stomach illness linked to the supply",),
                ("the boil-water notice had been a sensible precaution",),
            ),
        },
        rumours=(
            "a maintenance inspection of the pumping station had been postponed twice",
            "the board had set aside money for a new pipe two years ago but never spent it",
        ),
        silent=("water",),
    ),
)
