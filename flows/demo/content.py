"""Invented material for the demo news site: outlets, cast, story topics and sentence patterns.

Everything here is made up. Sentence templates use str.format slots; assembly lives in flows.demo.site.
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
    "Port Avery",
    "Northvale",
    "Kellsbridge",
    "Marrow Bay",
    "Eastholm",
    "Wrenfield",
    "Lower Tolland",
    "Hallowford",
    "Brinmouth",
    "Calder Vale",
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
    "festival": Org("Port Avery Harbour Festival"),
    "libraries": Org("Northvale Library Service"),
}

PEOPLE = {
    "vasquez": Person("Elena Vasquez", "she", "the mayor of Port Avery", "Mayor"),
    "okafor": Person("Tobias Okafor", "he", "the chief engineer of the Port Avery Harbour Authority"),
    "lindqvist": Person(
        "Margit Lindqvist", "she", "who chairs the council's finance committee", "Councillor"
    ),
    "haddadi": Person("Omar Haddadi", "he", "the leader of the opposition on the city council", "Councillor"),
    "karadeniz": Person("Yusuf Karadeniz", "he", "who runs a bakery on the eastern quay"),
    "pemberton": Person("Rosalind Pemberton", "she", "a minister in the regional government"),
    "raghunathan": Person(
        "Priya Raghunathan", "she", "the chief executive of Kellsbridge General Hospital", "Dr."
    ),
    "petrosyan": Person("Nadia Petrosyan", "she", "an epidemiologist at Kellsbridge General Hospital", "Dr."),
    "oduya": Person("Martin Oduya", "he", "a paramedic who has worked in Kellsbridge for 15 years"),
    "achterberg": Person("Samuel Achterberg", "he", "the president of the Coastal Teachers' Union"),
    "moreau": Person("Colette Moreau", "she", "the head teacher of Wrenfield Primary School"),
    "brevik": Person("Hannah Brevik", "she", "a spokeswoman for Meridian Components"),
    "castellano": Person("Bruno Castellano", "he", "a machinist who has worked at the plant for 22 years"),
    "mensah": Person("Kwame Mensah", "he", "the chairman of the Marrow Bay Fishermen's Association"),
    "sollberg": Person("Ingrid Sollberg", "she", "an ecologist at the University of Northvale", "Professor"),
    "furlong": Person("Declan Furlong", "he", "the chief executive of Avery Freight Lines"),
    "thrale": Person("Gideon Thrale", "he", "the director of the Northvale Water Board"),
    "zeller": Person("Annika Zeller", "she", "a chemist who lives in Calder Vale"),
    "marchetti": Person("Theo Marchetti", "he", "the general manager of Northvale Transit"),
    "osei": Person("Wilhelmina Osei", "she", "a bus driver and union representative"),
    "ribeiro": Person("Joaquim Ribeiro", "he", "the founder of Quayside Homes"),
    "vinterberg": Person("Clara Vinterberg", "she", "the head of the Eastholm Tenants' Association"),
    "holloway": Person("Beatrix Holloway", "she", "the judge presiding over the case", "Judge"),
    "dunmore": Person(
        "Rafael Dunmore", "he", "the head of the Northvale police fraud unit", "Chief Inspector"
    ),
    "nakashima": Person("Felix Nakashima", "he", "an economist at the University of Northvale"),
    "delahunt": Person("Cormac Delahunt", "he", "the chief fire officer for the coast", "Fire Chief"),
    "thornbury": Person("Agnes Thornbury", "she", "who has run the library in Lower Tolland for 19 years"),
    "aaltonen": Person("Henrik Aaltonen", "he", "an engineer at the University of Northvale", "Professor"),
    "haugland": Person("Sunniva Haugland", "she", "the artistic director of the Port Avery Harbour Festival"),
    "pryce": Person("Gethin Pryce", "he", "a sheep farmer whose land borders the heath"),
}

# Bylines: staff reporters appear only in bylines, never in the story text.
OUTLET_STAFF = {
    "harbour-courier": ("Miriam Tallis", "Jonah Pettigrew", "Aoife Brannagh", "Rui Takamori", "Selma Avdic"),
    "northvale-ledger": (
        "Dorian Whitcombe",
        "Leonie Fairbrass",
        "Emeka Nwosu",
        "Greta Halvorsen",
        "Pavel Dusek",
    ),
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
# {p}/{P}: pronoun of the previous speaker, {day}: the story's weekday.
# Position of the speaker decides how a first mention is written.
DIRECT = (
    ("“{q},” {s} said.", "said", "mid"),
    ("“{q},” said {s}.", "said", "end"),
    ("{S} said: “{q}.”", "said", "subject"),
    ("“{q},” {s} told reporters.", "told", "mid"),
    ("“{q},” {s} said on {day}.", "said", "mid"),
)
SPLIT = ("“{q},” {s} said, “{q2}.”", "said", "mid")
INDIRECT = (
    ("{S} said that {c}.", "said", "subject"),
    ("{S} said {c}.", "said", "subject"),
    ("{S} told reporters that {c}.", "told", "subject"),
    ("{S} warned that {c}.", "warned", "subject"),
    ("{C}, {s} said.", "said", "mid"),
    ("{C}, said {s}.", "said", "end"),
    ("{S} said on {day} that {c}.", "said", "subject"),
    ("{S} said in a statement that {c}.", "said", "subject"),
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
    (
        "Officials who spoke on condition of anonymity said {c}.",
        "said",
        "Officials who spoke on condition of anonymity",
    ),
    ("A senior official said that {c}.", "said", "A senior official"),
    ("People familiar with the matter said {c}.", "said", "People familiar with the matter"),
    ("{C}, according to people familiar with the matter.", "according to", "people familiar with the matter"),
)
# A report resting on the other outlet: {o} is its name as written in running text.
OUTLET_REPORT = (
    ("{O} reported on {day} that {c}.", "reported", "indirect"),
    ("{C}, according to {o}.", "according to", "according_to"),
)
OUTLET_NAMES = {"harbour-courier": "The Harbour Courier", "northvale-ledger": "Northvale Daily Ledger"}
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

TOPICS = (
    Topic(
        key="bridge",
        section="Local",
        tags=("transport", "infrastructure"),
        place="Port Avery",
        org="harbour",
        headlines=(
            "Swing bridge in {place} to stay closed for {n} more weeks",
            "Repairs to {place} swing bridge run over schedule",
            "Shops near closed {place} bridge count the cost as repairs drag on",
            "Ferry stopgap for {place} bridge closure draws long queues",
            "{place} bridge bill climbs to {money}",
            "Ferry queues and detours: life beside the shut {place} bridge",
        ),
        ledes=(
            "The swing bridge that links the two halves of {place} will stay closed for at least {n} more weeks, the {org} said on {day}.",
            "Engineers found fresh corrosion in the main hinge of the {place} swing bridge on {day}, pushing back its reopening by {n} weeks.",
            "Traders on both sides of the closed swing bridge in {place} said on {day} that the closure was costing them customers they might never win back.",
        ),
        facts=(
            "The bridge carries about {big} vehicles a day and has been shut since a routine inspection in January.",
            "Drivers have been sent on a detour of more than {n} kilometres through the industrial estate.",
            "A temporary ferry now runs every twenty minutes between the two quays, but it stops at seven in the evening.",
            "The repair contract, worth {money}, was awarded to a firm from {place2} last year.",
            "Traffic on the detour route rose by {pct} percent in the first month of the closure.",
            "The bridge was built in 1962 and was last refurbished in the early nineties.",
            "Pedestrians can still cross on a narrow walkway on the northern side during daylight hours.",
            "Engineers have fitted {n2} sensors to the bridge deck to measure how it moves as the tide turns.",
            "The eastern quay has lost two cafés and a hardware shop since the bridge closed.",
            "Buses that used to cross the bridge now take about {n} minutes longer on the detour.",
        ),
        voices={
            "vasquez": (
                (
                    "We will respond|if it is needed",
                    "Nobody wanted this closure to last into the spring|but safety has to come first",
                    "I walk past that bridge every morning and I am as impatient as anyone",
                ),
                (
                    "the city would pay for a second ferry if the delay grew any longer",
                    "the council had no record of any warning about the hinge",
                ),
            ),
            "okafor": (
                (
                    "The corrosion was worse than anything the original survey suggested",
                    "We will not reopen this bridge until every bolt has been checked",
                    "Old steel tells you its secrets slowly",
                ),
                (
                    "the new hinge had to be cast to order and could not be bought off the shelf",
                    "the hinge would be tested under load for a week before the bridge reopened",
                ),
            ),
            "karadeniz": (
                (
                    "My takings are down by a third since the bridge shut",
                    "People forget we are here when they cannot see us from the other side",
                ),
                (
                    "half of his regular customers had stopped coming across from the western quay",
                    "the ferry was too slow for customers who came in on their lunch break",
                ),
            ),
            "pemberton": (
                (
                    "The region will not leave Port Avery to carry this bill alone",
                    "Bridges like this one are the arteries of a harbour town",
                ),
                (
                    "the regional government was ready to share the cost of the repairs",
                    "the region would decide on its share of the bill by the end of the month",
                ),
            ),
        },
        rumours=(
            "the council had been warned about the hinge as early as 2019",
            "the repairs would cost almost twice the original estimate",
        ),
        silent=("harbour", "haddadi"),
    ),
    Topic(
        key="hospital",
        section="Health",
        tags=("health", "hospital"),
        place="Kellsbridge",
        org="hospital",
        headlines=(
            "Emergency waits at {org} reach record high",
            "Patients wait up to {n} hours in {place} emergency department",
            "{org} opens overflow ward as winter pressure builds",
            "Ambulances queue outside {org} for {n} hours",
            "Flu outbreak leaves {place} hospital short of nurses",
            "Corridor beds used again at {org}",
        ),
        ledes=(
            "Patients at the emergency department of {org} waited an average of {n} hours to be seen last week, the longest delay since records began.",
            "{org} opened an overflow ward on {day} after ambulances queued outside its emergency department for most of the night.",
            "Doctors at {org} warned on {day} that the emergency department was treating {pct} percent more patients than it was built for.",
        ),
        facts=(
            "The hospital serves about {n2} thousand people across {place} and the surrounding villages.",
            "Ambulance crews reported waiting more than {n} hours to hand over patients on three separate nights.",
            "The overflow ward has {n2} beds and is staffed largely by agency nurses.",
            "A flu outbreak among staff left {pct} percent of nursing shifts uncovered in the first week of the month.",
            "The regional health board has promised an extra {money} for the hospital next year.",
            "Two operating theatres have been closed since the autumn for a ventilation upgrade.",
            "Corridor beds have been used on {n} of the last fourteen nights.",
            "The hospital has advertised for {n2} nurses since the autumn but filled fewer than half of the posts.",
            "Visiting hours on the medical wards have been cut to protect patients from infection.",
        ),
        voices={
            "raghunathan": (
                (
                    "Our staff are doing extraordinary work in conditions nobody should have to accept",
                    "We expect the pressure to ease|but not before the end of the month",
                    "I would rather tell people the truth about the waits than pretend everything is fine",
                ),
                (
                    "the hospital had cancelled all non-urgent surgery for two weeks",
                    "the hospital would open a second overflow ward if the numbers kept rising",
                ),
            ),
            "petrosyan": (
                (
                    "This is the worst flu season we have seen in a decade",
                    "Vaccination is still the best protection we have",
                ),
                (
                    "the number of flu admissions had doubled in a fortnight",
                    "the peak of the outbreak was probably still two weeks away",
                ),
            ),
            "oduya": (
                (
                    "We sat outside those doors for six hours with a patient who needed a bed",
                    "You cannot hand over a patient to a corridor",
                ),
                (
                    "crews were being kept from new emergency calls while they waited",
                    "he had never known the winter pressure to start so early",
                ),
            ),
        },
        rumours=(
            "the health board was considering moving some patients to {place2}",
            "two senior consultants had resigned in protest over staffing",
        ),
        silent=("hospital",),
    ),
    Topic(
        key="strike",
        section="Education",
        tags=("education", "strike"),
        place="Wrenfield",
        org="teachers",
        headlines=(
            "Teachers in {place} vote to strike over pay",
            "School strike set for {day} as talks with the {org} collapse",
            "Parents brace for school closures as teachers walk out",
            "{org} rejects {pct} percent pay offer",
            "Head teachers in {place} plan for strike day",
            "Strike vote puts {place} schools on alert",
        ),
        ledes=(
            "Teachers across {place} will strike on {day} after members of the {org} voted by a large majority to reject the latest pay offer.",
            "Talks between the {org} and the regional education office broke down on {day}, making a one-day strike next week all but certain.",
            "Parents in {place} were scrambling for childcare on {day} as teachers prepared for the first walkout in more than a decade.",
        ),
        facts=(
            "About {big} teachers in {n} schools are expected to take part in the walkout.",
            "The regional education office offered a pay rise of {pct} percent spread over two years.",
            "Union members voted by a margin of more than four to one to reject the offer.",
            "Most primary schools in {place} will close for the day, while secondary schools will teach exam classes only.",
            "It would be the first teachers' strike in the region since 2011.",
            "Teachers in the region earn about {pct} percent less than those in the capital, according to union figures.",
            "Exam classes will be taught by head teachers and deputies on the day of the strike.",
            "A further {n} days of action have been pencilled in for next month if no deal is reached.",
        ),
        voices={
            "achterberg": (
                (
                    "Nobody goes into teaching to strike|but our members have run out of patience",
                    "The offer on the table does not even cover the rise in rents",
                    "Our members love their jobs, they just cannot afford to keep doing them",
                ),
                (
                    "the union would call off the strike if the offer was improved before {day2}",
                    "more than a hundred teachers had left the region's schools last year",
                ),
            ),
            "moreau": (
                (
                    "We will keep the building open for the children who have nowhere else to go",
                    "I have never had to write a letter like this to parents before",
                ),
                (
                    "three of her teachers had left for better-paid jobs in {place2} last year",
                    "the school would send work home for pupils who could not come in",
                ),
            ),
            "pemberton": (
                (
                    "This offer is fair and it is the most the region can afford",
                    "The door to talks has never been closed",
                ),
                (
                    "a bigger pay rise would mean cutting money for school repairs",
                    "the region had offered more than any neighbouring authority",
                ),
            ),
        },
        rumours=(
            "the education office was preparing a revised offer worth about {pct} percent",
            "some head teachers had privately urged the region to return to the table",
        ),
        silent=("moreau",),
    ),
    Topic(
        key="plant",
        section="Business",
        tags=("jobs", "industry"),
        place="Eastholm",
        org="meridian",
        headlines=(
            "{org} to close {place} plant with the loss of {big} jobs",
            "Workers stunned as {org} announces plant closure",
            "What the {place} factory closure means for the town",
            "{place} plant workers offered {n} weeks of pay per year of service",
            "Mayor vows to fight {org} closure in {place}",
            "{org} workers march through {place}",
        ),
        ledes=(
            "{org} will close its factory in {place} by the end of the year, putting {big} jobs at risk, the company told staff on {day}.",
            "Workers at the {org} plant in {place} were told on {day} that production would move abroad and the site would shut within months.",
            "Hundreds of people marched through the centre of {place} on {day} to protest against the planned closure of the {org} factory.",
        ),
        facts=(
            "The plant makes gearbox parts for farm machinery and has operated in {place} since 1978.",
            "It is the largest private employer in the town, ahead of the regional hospital.",
            "Production will move to a newer factory the company owns abroad.",
            "The company reported a loss of {money} last year after two of its largest customers cut orders.",
            "Staff were offered redundancy pay of {n} weeks for every year of service.",
            "The company's order book shrank by {pct} percent over the past two years.",
            "A jobs fair for workers at the plant is planned at the town's sports centre.",
            "Many of the plant's suppliers are small workshops within a few kilometres of the site.",
        ),
        voices={
            "brevik": (
                (
                    "This was a painful decision and it was not taken lightly",
                    "We have tried every option to keep production in the town",
                ),
                (
                    "the company would help workers find new jobs and pay for retraining",
                    "the company would keep a small research team in the town",
                ),
            ),
            "castellano": (
                (
                    "My father worked on this floor and I thought my son would too|but that is over now",
                    "They gave us a letter and a cup of coffee and sent us back to work",
                ),
                (
                    "many of his colleagues were too old to move for work",
                    "the workers had been told nothing about the talks with buyers",
                ),
            ),
            "nakashima": (
                (
                    "For a town this size, losing that many jobs at once is a shock that lasts a generation",
                    "The shops on the high street will feel this within a few months",
                ),
                (
                    "every job at the plant supported roughly one more job in local shops and services",
                    "the town's unemployment rate could double within a year",
                ),
            ),
            "vasquez": (
                (
                    "We will fight for every one of these jobs",
                    "Nobody in this town will be left to face this alone",
                ),
                (
                    "the city would ask the company to delay the closure by a year",
                    "the council had offered the company cheaper rent on a smaller site",
                ),
            ),
        },
        rumours=(
            "a rival manufacturer had looked at buying the site last year",
            "the company had received a regional grant to modernise the plant in 2022",
        ),
        silent=("meridian", "castellano"),
    ),
    Topic(
        key="fishing",
        section="Business",
        tags=("fishing", "environment"),
        place="Marrow Bay",
        org="fishers",
        headlines=(
            "Fishing quota cut hits {place} fleet",
            "{place} fishermen protest as cod catch limit is halved",
            "Scientists defend quota cut as {place} boats stay in harbour",
            "Cod quota for {place} cut by {pct} percent",
            "Hardship fund promised for {place} fishing crews",
            "{place} skippers weigh selling up after quota blow",
        ),
        ledes=(
            "The regional fisheries office on {day} cut the cod quota for the {place} fleet by {pct} percent, the deepest cut in a generation.",
            "More than {n2} fishing boats stayed in the harbour at {place} on {day} in protest against a sharp cut to this year's cod quota.",
            "Crews in {place} tied up their boats on {day} and said they would not go back to sea until the new cod limits were reviewed.",
        ),
        facts=(
            "The fleet landed about {big} tonnes of cod last year, worth an estimated {money}.",
            "Cod stocks in the bay have fallen for six years in a row, according to survey data.",
            "Boats will be allowed to switch part of their quota to haddock and whiting.",
            "The fish market in {place} employs about {n2} people outside the fishing season.",
            "An appeal against the decision can be lodged within {n} weeks.",
            "The average age of skippers in the fleet is now over fifty.",
            "Haddock prices at the {place} market fell by {pct} percent in the week after the cut was announced.",
            "Survey ships counted fewer young cod last autumn than in any year since records began.",
        ),
        voices={
            "mensah": (
                (
                    "You cannot run a boat on half a catch|and the banks know it",
                    "We are not against conservation, we are against being ignored",
                    "My grandfather fished these waters and he would not recognise the rules we work under",
                ),
                (
                    "at least a dozen boats would be sold before the summer",
                    "the scientists had surveyed the wrong part of the bay",
                ),
            ),
            "sollberg": (
                (
                    "If we do nothing now, there will be no cod left to argue about",
                    "The numbers are not a matter of opinion",
                ),
                (
                    "young cod had almost disappeared from the survey nets in the past two years",
                    "the cod could recover within five years if fishing pressure was reduced",
                ),
            ),
            "pemberton": (
                (
                    "We will look at support for the families who depend on this fleet",
                    "Nobody is pretending this is easy for the families involved",
                ),
                (
                    "the region would set up a hardship fund for crews",
                    "the hardship fund would open for applications next month",
                ),
            ),
        },
        rumours=(
            "the fisheries office had considered an even deeper cut",
            "buyers from {place2} were already offering lower prices for the remaining catch",
        ),
        silent=("sollberg",),
    ),
    Topic(
        key="water",
        section="Local",
        tags=("water", "health"),
        place="Calder Vale",
        org="water",
        headlines=(
            "Boil-water notice issued for {place}",
            "{org} says {place} tap water safe again after {n} days",
            "Questions grow over {place} water contamination",
            "Cracked pipe blamed for {place} water scare",
            "{place} residents demand inquiry into tap water bacteria",
            "Bottled water handed out in {place} as tests continue",
        ),
        ledes=(
            "Residents of {place} were told on {day} to boil their tap water after routine tests found bacteria in the supply.",
            "The {org} lifted a boil-water notice for {place} on {day} after {n} days of clean test results.",
            "Parents in {place} queued for bottled water outside the village school on {day}, the second day of a boil-water notice.",
        ),
        facts=(
            "About {big} households in {place} and two neighbouring villages were affected by the notice.",
            "Bottled water was handed out from the sports centre car park for {n} days.",
            "The contamination was traced to a cracked pipe at a pumping station north of the village.",
            "Schools in {place} brought in drinking water by lorry while the notice was in force.",
            "The pumping station was last inspected about {n2} months ago.",
            "Test results are published on the board's website twice a day.",
            "The pumping station supplies water to about {n2} farms as well as the village.",
            "Cafés and restaurants in {place} were told to use bottled water for drinks and ice.",
        ),
        voices={
            "thrale": (
                (
                    "The water is safe to drink and we are sorry for the disruption",
                    "We found the fault quickly|and we fixed it properly",
                    "Our tests are the reason we caught this at all",
                ),
                (
                    "the cracked pipe had been replaced and the whole network flushed",
                    "the board would publish the full inspection history of the pumping station",
                ),
            ),
            "zeller": (
                (
                    "Nobody told us anything for the first two days",
                    "I have two small children and I found out from a neighbour",
                ),
                (
                    "residents deserved an independent inquiry into how the crack was missed",
                    "the text messages sent to residents had arrived a day late",
                ),
            ),
            "petrosyan": (
                (
                    "We have not seen any rise in stomach illness linked to the supply",
                    "Boiling the water for one minute is enough to make it safe",
                ),
                (
                    "the boil-water notice had been a sensible precaution",
                    "people with weak immune systems should keep boiling their water for a few more days",
                ),
            ),
        },
        rumours=(
            "a maintenance inspection of the pumping station had been postponed twice",
            "the board had set aside money for a new pipe two years ago but never spent it",
        ),
        silent=("water",),
    ),
    Topic(
        key="housing",
        section="Local",
        tags=("housing", "planning"),
        place="Eastholm",
        org="quayside",
        headlines=(
            "Council approves {big} new flats on {place} waterfront",
            "{place} tenants fight plan to redevelop the old dockyard",
            "{org} scales back {place} housing plan after objections",
            "Planning vote on {place} dockyard flats delayed again",
            "How many of the new {place} flats will be affordable?",
            "Dockyard flats row divides {place}",
        ),
        ledes=(
            "The planning committee of the Port Avery City Council approved a plan on {day} for {big} flats on the site of the old dockyard in {place}.",
            "{org} cut the number of flats in its {place} dockyard plan by a fifth on {day}, after more than {n2} objections from residents.",
            "Residents of the terraced streets beside the old dockyard in {place} packed a council meeting on {day} to oppose a plan for {big} new flats.",
        ),
        facts=(
            "The dockyard has stood empty since the last shipyard closed there in 2004.",
            "Under the plan, {pct} percent of the flats would be let at below market rents.",
            "The site sits next to a row of terraced houses built for dock workers in the 1890s.",
            "Average rents in {place} rose by {pct} percent last year, faster than anywhere else in the region.",
            "Construction would begin next spring and take about {n} years to finish.",
            "The plan includes a small park, a health centre and parking for {n2} bicycles.",
            "The council's own housing list has more than {n2} hundred families waiting for a home.",
            "The tallest of the proposed buildings would have {n} storeys.",
            "An archaeological survey of the dockyard found the remains of a nineteenth-century slipway.",
        ),
        voices={
            "ribeiro": (
                (
                    "This is the biggest investment the east side has seen in fifty years",
                    "We listened to the objections|and we changed the design",
                    "Every town needs new homes and this one needs them more than most",
                ),
                (
                    "the company would build the health centre before the first flats were sold",
                    "building costs had risen by a quarter since the plan was first drawn up",
                ),
            ),
            "vinterberg": (
                (
                    "These flats are not for the people who live here now",
                    "Affordable for whom|that is what we keep asking",
                    "We are not against new homes, we are against being priced out of our own street",
                ),
                (
                    "rents in the terraced streets would rise as soon as the towers went up",
                    "the association would challenge the decision in court if necessary",
                ),
            ),
            "lindqvist": (
                (
                    "The city needs homes and this site has been empty for twenty years",
                    "We have asked hard questions and we have got better answers",
                ),
                (
                    "the council would hold the developer to its promise on cheaper flats",
                    "the council had secured more cheaper flats than in any previous scheme",
                ),
            ),
        },
        rumours=(
            "the developer had asked the council to reduce the share of cheaper flats",
            "a second company had made a rival offer for part of the site",
        ),
        silent=("quayside", "lindqvist"),
    ),
    Topic(
        key="fares",
        section="Local",
        tags=("transport", "buses"),
        place="Northvale",
        org="transit",
        headlines=(
            "Bus fares in {place} to rise by {pct} percent",
            "{org} cuts {n} routes as passenger numbers fall",
            "Drivers warn of delays as {org} short of staff",
            "Night buses in {place} to stop running from April",
            "Riders count the cost of the {place} fare rise",
            "{org} blames fuel and wages for fare rise",
        ),
        ledes=(
            "{org} will raise bus fares by {pct} percent from next month, the company said on {day}, blaming higher fuel and wage costs.",
            "{org} will cut {n} bus routes in and around {place} and run night services only at weekends, under a plan published on {day}.",
            "Passengers waiting at the main bus station in {place} on {day} said the planned fare rise would force them to cut back on trips.",
        ),
        facts=(
            "A single journey in the city centre will cost about twice what it did five years ago.",
            "The company carried {big} thousand passengers a week last year, down from before the pandemic.",
            "Pensioners and schoolchildren will keep their free passes under the new fare table.",
            "About {n2} drivers' posts are currently vacant, according to the company's own figures.",
            "The routes to be cut serve mostly villages to the north of {place}.",
            "Monthly passes will rise by less than single tickets under the new fare table.",
            "The company ran more than {big} late or cancelled services in the last quarter.",
            "Fuel makes up about a fifth of the company's running costs.",
        ),
        voices={
            "marchetti": (
                (
                    "Nobody likes raising fares|but the alternative is cutting more buses",
                    "We are recruiting drivers as fast as we can train them",
                    "Every route we keep is a route we have fought for",
                ),
                (
                    "the company had lost money on every route outside the city centre",
                    "the company would review the night services again in a year",
                ),
            ),
            "osei": (
                (
                    "We are driving longer shifts with fewer breaks and the public can see it",
                    "Passengers shout at us because we are the only face of the company they ever see",
                ),
                (
                    "drivers were being asked to cover extra shifts at a day's notice",
                    "the union would ballot its members on industrial action",
                ),
            ),
            "haddadi": (
                (
                    "Every fare rise pushes another family back into the car",
                    "The people who rely on buses most are the ones who can least afford this",
                ),
                (
                    "the council should buy back the routes and run them itself",
                    "the council's own transport plan promised more buses, not fewer",
                ),
            ),
            "pemberton": (
                (
                    "The region is looking at how it can help keep the rural routes running",
                    "We want the buses to keep running as much as anyone",
                ),
                (
                    "the regional budget had no spare money for bus subsidies this year",
                    "the region would review its support for rural transport in the autumn",
                ),
            ),
        },
        rumours=(
            "the company had warned the region about the cuts months ago",
            "the fare rise would be followed by another one in the autumn",
        ),
        silent=("transit",),
    ),
    Topic(
        key="fraud",
        section="Crime",
        tags=("courts", "fraud"),
        place="Northvale",
        org="court",
        headlines=(
            "Former freight executive charged with fraud",
            "Trial of {org} fraud case opens in {place}",
            "Jury hears how {money} went missing from harbour fund",
            "Police describe four-year hunt for missing harbour money",
            "Fraud trial adjourned after defence asks for more time",
            "Bank records take centre stage at harbour fund trial",
        ),
        ledes=(
            "A former finance director of Avery Freight Lines went on trial at the {org} on {day}, accused of taking {money} from a harbour maintenance fund.",
            "The fraud trial of a former freight executive was adjourned on {day} for {n} weeks after his lawyers asked for more time to study bank records.",
            "A former harbour accountant told the {org} on {day} that she had raised concerns about missing payments years before the police were called.",
        ),
        facts=(
            "Prosecutors say the money was moved through {n} shell companies over four years.",
            "The defendant, who is 58, denies all eleven charges against him.",
            "The fund was set up to pay for dredging in the harbours of Port Avery and {place2}.",
            "The trial is expected to last about {n} weeks and to hear from more than {n2} witnesses.",
            "The case came to light after an internal audit in 2024 found gaps in the accounts.",
            "The jury was shown invoices for dredging work that prosecutors say was never carried out.",
            "Bank records show payments of between {n} and {n2} thousand dollars leaving the fund every month.",
            "The defendant sat in the dock taking notes throughout the morning's evidence.",
        ),
        voices={
            "dunmore": (
                (
                    "This was a long and complicated investigation|and I am proud of the team",
                    "We followed the money one account at a time",
                    "Fraud like this is not a victimless crime",
                ),
                (
                    "the fraud unit had examined more than a million pages of bank records",
                    "investigators had traced some of the money to accounts in {place2}",
                ),
            ),
            "holloway": (
                (
                    "The jury must decide this case on the evidence heard in this room and nothing else",
                    "I will not allow this trial to be conducted in the newspapers",
                ),
                (
                    "the trial would resume once the defence had received the remaining documents",
                    "the jurors should not read anything about the case online",
                ),
            ),
            "furlong": (
                (
                    "We have cooperated fully with the police from the very first day",
                    "The people of this harbour deserve to know what happened to their money",
                ),
                (
                    "the company had tightened its controls since the audit",
                    "the company had repaid the fund in full out of its own reserves",
                ),
            ),
        },
        rumours=(
            "prosecutors had offered the defendant a plea deal last year",
            "a second former employee was under investigation",
        ),
        silent=("freight", "furlong"),
    ),
    Topic(
        key="storm",
        section="Local",
        tags=("weather", "emergency"),
        place="Marrow Bay",
        org="harbour",
        headlines=(
            "Storm floods seafront homes in {place}",
            "Hundreds without power after storm batters {place}",
            "Clean-up begins in {place} after night of high winds",
            "Sea wall in {place} to be raised after storm damage",
            "Firefighters rescue {n} people from flooded homes in {place}",
            "Seafront residents in {place} ask why the wall failed",
        ),
        ledes=(
            "Gusts of more than a hundred kilometres an hour tore through {place} overnight on {day}, flooding seafront homes and cutting power to {big} households.",
            "Residents of {place} began clearing mud and broken glass from their homes on {day} after a storm surge overtopped the sea wall.",
            "Emergency crews in {place} worked through the night on {day} as waves broke over the sea wall and flooded the lower town.",
        ),
        facts=(
            "Firefighters pumped water out of {n2} homes along the seafront during the night.",
            "Power was restored to most households by the following afternoon.",
            "The sea wall was built in the 1950s and was last raised about {n2} years ago.",
            "A sports hall was opened as a rest centre for families who could not stay at home.",
            "Insurers estimate the damage across the coast at about {money}.",
            "Two fishing boats broke their moorings and were driven onto the slipway.",
            "The coastguard warned boat owners to stay ashore until the swell had eased.",
            "Schools in {place} stayed closed for {n} days while the roads were cleared.",
            "Sandbags were handed out from the fire station from early in the evening.",
        ),
        voices={
            "delahunt": (
                (
                    "In thirty years I have not seen water come over that wall the way it did last night",
                    "My crews worked through the night|and nobody was seriously hurt",
                    "The sandbags bought us time|but the sea always wins in the end",
                ),
                (
                    "the fire service had rescued {n} people from ground-floor flats",
                    "his crews had answered more than {n2} calls in a single night",
                ),
            ),
            "mensah": (
                (
                    "Half the fleet is damaged and the insurers will take months",
                    "We tied everything down twice and it still was not enough",
                ),
                (
                    "several owners could not afford to repair their boats",
                    "the harbour wall had protected the boats better than the seafront homes",
                ),
            ),
            "vasquez": (
                (
                    "We will raise that wall|and we will not wait for the next storm to do it",
                    "I saw families carrying their furniture up the stairs at three in the morning",
                ),
                (
                    "the city would ask the region for emergency funding",
                    "no family would be left without somewhere to sleep",
                ),
            ),
        },
        rumours=(
            "engineers had warned that the sea wall was too low as long ago as 2015",
            "the storm had caused more damage than any since 1987",
        ),
        silent=("harbour",),
    ),
    Topic(
        key="election",
        section="Politics",
        tags=("politics", "election"),
        place="Port Avery",
        org="council",
        headlines=(
            "Opposition leader to challenge Vasquez for mayor",
            "Port Avery mayoral race tightens as poll shows dead heat",
            "Candidates clash over bridge and housing in {place} debate",
            "Turnout fears as {place} votes for mayor on {day}",
            "Who is running for mayor of {place}?",
            "Mayoral hopefuls make their last pitch to {place} voters",
        ),
        ledes=(
            "The race to lead {place} tightened on {day} after a poll put the mayor and her main challenger within {n} points of each other.",
            "Candidates for mayor of {place} traded blows over the closed swing bridge and rising rents at a packed debate on {day}.",
            "The two leading candidates for mayor of {place} spent {day} knocking on doors in the eastern wards, where turnout has been lowest.",
        ),
        facts=(
            "About {big} people attended the debate in the town hall, with more watching online.",
            "Turnout at the last mayoral election was just {n2} percent.",
            "The mayor is elected for four years and chairs the meetings of the {org}.",
            "Postal voting opens {n} days before polling day.",
            "Three smaller parties are also fielding candidates.",
            "Both leading candidates have promised to reopen the swing bridge before the summer.",
            "The city has about {n2} thousand registered voters.",
            "Results are expected in the early hours after polling day.",
        ),
        voices={
            "vasquez": (
                (
                    "I am proud of what we have done|and there is more to do",
                    "I will not make promises this city cannot pay for",
                    "Judge me on the record, not on the rumours",
                ),
                (
                    "she would finish the bridge repairs before starting any new projects",
                    "the city's finances were in better shape than when she took office",
                ),
            ),
            "haddadi": (
                (
                    "This city deserves a mayor who answers the phone",
                    "People are tired of being told to wait",
                ),
                (
                    "the mayor had been warned about the bridge and done nothing",
                    "he would publish the mayor's diary every week if elected",
                ),
            ),
            "nakashima": (
                (
                    "Races this close are usually decided by who turns out in the rain",
                    "Local elections are won on potholes and bus timetables",
                ),
                (
                    "the poll's margin of error was larger than the gap between the two candidates",
                    "younger voters were far less likely to turn out than pensioners",
                ),
            ),
        },
        rumours=(
            "party officials had privately urged a third candidate to withdraw",
            "the mayor's campaign had commissioned its own poll showing a wider lead",
        ),
        silent=("lindqvist",),
    ),
    Topic(
        key="port",
        section="Business",
        tags=("port", "shipping"),
        place="Port Avery",
        org="freight",
        headlines=(
            "{org} plans container terminal at {place}",
            "Port expansion could bring {big} jobs, says {org}",
            "Residents fear lorries as {place} port plan advances",
            "{org} secures {money} loan for new berth",
            "Dredging for new {place} berth to start in summer",
            "Harbour neighbours fear lorry traffic from {place} terminal",
        ),
        ledes=(
            "{org} set out plans on {day} for a container terminal at {place} that it says would double the traffic through the harbour within a decade.",
            "{org} said on {day} that it had secured a loan of {money} to build a deep-water berth on the southern side of the harbour at {place}.",
            "Residents of the streets around the harbour at {place} raised fears on {day} about lorry traffic from a planned container terminal.",
        ),
        facts=(
            "The harbour handled about {big} thousand tonnes of cargo last year, mostly timber and grain.",
            "The new berth would be able to take ships up to {n2} thousand tonnes.",
            "The plan needs the approval of the Port Avery Harbour Authority and the regional government.",
            "Lorries would reach the terminal on a new road along the old railway line.",
            "Dredging would remove sand and silt from a channel about {n} kilometres long.",
            "The company says the terminal would handle up to {big} containers a week at full capacity.",
            "A public consultation on the plan runs until the end of next month.",
            "The old railway line closed to passengers in 1971 and to freight a decade later.",
        ),
        voices={
            "furlong": (
                (
                    "This terminal puts {place} back on the map|and it creates jobs that stay here",
                    "We have the money and we have the customers",
                    "We will be good neighbours, and we will prove it",
                ),
                (
                    "ships were already queueing for the existing berths on busy days",
                    "most lorries would use the terminal at night",
                ),
            ),
            "sollberg": (
                (
                    "Dredging on this scale will churn up decades of pollution from the seabed",
                    "The channel is home to seagrass that took a century to grow",
                ),
                (
                    "the channel was a nursery for young fish that fed the whole bay",
                    "the company's environmental study had been too narrow",
                ),
            ),
            "okafor": (
                (
                    "The harbour can take bigger ships|but not without serious work on the quays",
                    "The quays were built for the ships of the 1950s",
                ),
                (
                    "the authority would run its own survey of the seabed before any dredging",
                    "the existing cranes would have to be replaced within five years",
                ),
            ),
        },
        rumours=(
            "a shipping line from {place2} had already signed a letter of intent",
            "the regional government was preparing to back the loan",
        ),
        silent=("harbour", "furlong"),
    ),
    Topic(
        key="library",
        section="Local",
        tags=("libraries", "council"),
        place="Lower Tolland",
        org="libraries",
        headlines=(
            "Five village libraries face closure in budget plan",
            "{place} library saved for another year",
            "Volunteers offer to run {place} library as cuts loom",
            "Library cuts would save {sum}, council papers show",
            "Campaigners hand in petition to keep {place} library open",
            "Village fights for its library in {place}",
        ),
        ledes=(
            "The library in {place} is one of five branches that would close under budget plans published by the {org} on {day}.",
            "Campaigners handed the council a petition with {big} signatures on {day}, calling for the branch library in {place} to stay open.",
            "Councillors agreed on {day} to keep the library in {place} open for at least another year while volunteers draw up a plan to run it.",
        ),
        facts=(
            "The branch opens three days a week and lends about {big} books a month.",
            "It also runs a homework club and the only free computers in the village.",
            "Closing all five branches would save about {sum} a year, according to council papers.",
            "The library building, a former chapel, is owned by the council and would be offered for sale.",
            "The mobile library that would replace the branch would call once a fortnight.",
            "Visits to the region's libraries rose by {pct} percent last year after years of decline.",
            "The nearest other library is in {place2}, a bus ride of about {n2} minutes away.",
            "Children's reading groups at the branch have a waiting list of {n} families.",
        ),
        voices={
            "thornbury": (
                (
                    "For some of our readers this is the only conversation they have all week",
                    "We are not a luxury|we are the village hall with books",
                ),
                (
                    "most of her regular visitors did not have a computer at home",
                    "the homework club had doubled in size since the autumn",
                ),
            ),
            "lindqvist": (
                ("Nobody became a councillor to close libraries", "Every saving on this list hurts someone"),
                (
                    "the council had to find savings of {money} before the end of the year",
                    "the volunteers' plan would be judged on whether it could pay its way",
                ),
            ),
            "haddadi": (
                (
                    "Closing libraries is the most expensive way to save money",
                    "You can measure the cost of a library|but not the cost of losing one",
                ),
                (
                    "the savings were tiny next to the cost of the council's new offices",
                    "his party would reverse the closures if it won control of the council",
                ),
            ),
        },
        rumours=(
            "two more branches had been considered for closure but taken off the list",
            "a local charity had offered to pay for the building's heating",
        ),
        silent=("libraries",),
    ),
    Topic(
        key="research",
        section="Science",
        tags=("science", "energy"),
        place="Northvale",
        org="university",
        headlines=(
            "{org} wins {money} grant for tidal energy research",
            "Tidal turbine to be tested off {place2}",
            "Can the tides power the coast? Scientists in {place} think so",
            "Fishermen wary of tidal turbine trial",
            "First tidal turbine lowered into the water off {place2}",
            "Seals and turbines: biologists to watch tidal trial closely",
        ),
        ledes=(
            "Engineers at the {org} have won a grant of {money} to test a tidal turbine in the channel off {place2}, the university said on {day}.",
            "A prototype tidal turbine built by engineers at the {org} was lowered into the sea off {place2} on {day} for a trial lasting {n} months.",
            "Scientists at the {org} said on {day} that the tides along the coast could one day supply a fifth of the region's electricity.",
        ),
        facts=(
            "The turbine is about the size of a city bus and sits on the seabed at a depth of {n2} metres.",
            "It is designed to produce enough electricity for about {big} homes.",
            "The grant comes from a national fund for low-carbon energy research.",
            "Cameras on the turbine frame will record any fish or seals that come close to the blades.",
            "The trial site was chosen because the tide there runs at up to {n} knots.",
            "Similar turbines have been tested in other countries with strong tides.",
            "Students from the engineering faculty helped assemble the turbine in a shed on the quay.",
            "The university plans to publish the first results at the end of the year.",
        ),
        voices={
            "aaltonen": (
                (
                    "The tide comes in twice a day whether the wind blows or not",
                    "We expect to break a few things|that is what trials are for",
                ),
                (
                    "a full-size array could be built within a decade if the trial went well",
                    "the turbine had been designed to turn slowly enough for fish to avoid it",
                ),
            ),
            "sollberg": (
                ("We will be watching the seals as closely as the engineers watch the power output",),
                (
                    "little was known about how marine mammals would react to the blades",
                    "the cameras would give biologists the first close look at the channel in years",
                ),
            ),
            "mensah": (
                (
                    "Nobody asked us before they chose that channel",
                    "We are not against clean power|we just want to keep our fishing grounds",
                ),
                (
                    "the trial site was one of the best places in the bay for crab",
                    "his members wanted compensation if they lost access to the channel",
                ),
            ),
        },
        rumours=(
            "an energy company had already approached the university about a larger array",
            "the trial had been delayed for a year by a dispute over the seabed lease",
        ),
        silent=("mensah",),
    ),
    Topic(
        key="festival",
        section="Culture",
        tags=("culture", "festival"),
        place="Port Avery",
        org="festival",
        headlines=(
            "Harbour festival cancelled after sponsor pulls out",
            "Crowdfunding bid to save {place} festival raises {sum}",
            "{place} harbour festival returns with a smaller programme",
            "Council steps in to rescue harbour festival",
            "Musicians and traders count cost of festival cancellation",
            "Traders on the quay fear a summer without the festival",
        ),
        ledes=(
            "The {org}, which drew {n2} thousand visitors last summer, has been cancelled after its main sponsor withdrew, the organisers said on {day}.",
            "An online appeal to save the {org} raised {sum} in its first week, organisers said on {day}.",
            "The {org} will go ahead this summer on two days instead of four, its organisers announced on {day}.",
        ),
        facts=(
            "The festival has been held on the harbour front every July since 1994.",
            "About {n2} local food and craft stalls took part last year.",
            "The main stage is built on a barge moored beside the fish market.",
            "Hotels in {place} were fully booked for the festival weekend last year.",
            "Tickets for the evening concerts sold out within {n} hours last spring.",
            "The festival pays about {pct} percent of its costs from ticket sales and the rest from sponsors and grants.",
            "A children's parade through the old town opens the festival each year.",
            "The organisers employ {n} people all year and hundreds of volunteers in the summer.",
        ),
        voices={
            "haugland": (
                (
                    "This festival belongs to the town|and the town has answered",
                    "We will be back, smaller but still loud",
                ),
                (
                    "the sponsor had given only a month's notice before pulling out",
                    "the organisers would publish the new programme in the spring",
                ),
            ),
            "vasquez": (
                ("A summer without the festival would be a summer without the harbour's heart",),
                (
                    "the council would guarantee part of the festival's costs this year",
                    "the city would look for a new sponsor with the organisers",
                ),
            ),
            "karadeniz": (
                (
                    "Festival weekend is worth a month of ordinary trade to me",
                    "When the festival is on|I bake through the night",
                ),
                (
                    "traders on the quay had already ordered stock for the summer",
                    "the cancellation would hit small shops hardest",
                ),
            ),
        },
        rumours=(
            "the sponsor had pulled out after a dispute over the festival's ticket prices",
            "a drinks company from {place2} was in talks to become the new main sponsor",
        ),
        silent=("festival",),
    ),
    Topic(
        key="heathfire",
        section="Local",
        tags=("fire", "environment"),
        place="Hallowford",
        org="council",
        headlines=(
            "Heath fire near {place} forces evacuation of {n} farms",
            "Crews bring {place} heath fire under control",
            "Arson suspected in {place} heath fire",
            "Farmers count losses after heath fire",
            "How a dry spring left the {place} heath ready to burn",
            "Rain brings relief to firefighters on {place} heath",
        ),
        ledes=(
            "A fire that started on the heath above {place} on {day} burned through about {big} hectares before crews brought it under control.",
            "Families on {n} farms near {place} were told to leave their homes on {day} as a heath fire spread towards the village.",
            "Investigators said on {day} they were treating the heath fire near {place} as suspicious after finding signs it had been started in two places.",
        ),
        facts=(
            "Smoke from the fire could be seen from {place2} for most of the afternoon.",
            "Firefighters from {n} stations fought the blaze, helped by a water-bombing helicopter.",
            "The heath is home to rare nesting birds, including nightjars and woodlarks.",
            "It was the driest spring in the region for more than thirty years.",
            "A road between {place} and {place2} was closed for {n2} hours.",
            "Sheep were moved to fields on the far side of the valley as the flames approached.",
            "No one was injured, though two barns and a hay store were destroyed.",
            "Barbecues and campfires have been banned on the heath until further notice.",
        ),
        voices={
            "delahunt": (
                (
                    "The wind turned twice in an hour|and that is what makes a heath fire dangerous",
                    "We would rather move people too early than too late",
                ),
                (
                    "the fire had started in two places about half a kilometre apart",
                    "crews would stay on the heath for several days to put out hidden hot spots",
                ),
            ),
            "pryce": (
                ("I watched the flames come over the ridge and I thought we would lose the house",),
                (
                    "he had lost about a third of his winter hay",
                    "neighbours had helped him move his flock in the middle of the night",
                ),
            ),
            "sollberg": (
                ("The heath will recover|but it will take years for the birds to come back",),
                ("the fire had come at the worst possible time for nesting birds",),
            ),
        },
        rumours=(
            "police had questioned two teenagers seen near the heath that afternoon",
            "the fire service had asked for the heath to be closed a week earlier",
        ),
        silent=("council",),
    ),
)
