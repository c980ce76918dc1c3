"""Cue lexicon for attributions: which verbs report what someone said, thought or intends.

Each entry maps a verb lemma to the complements that carry its content and the reason it is a cue.
Frames: "clause" (a that-clause, a quote, or the sentence it interrupts: "X said that ..."), "object"
(a noun phrase or preposition phrase is the content: "X denied the report", "X accused Y of ..."),
"infinitive" (a to-clause is the content: "X promised to ...").
Every cue takes the "clause" frame; the others are listed where the verb uses them for its message.
"""

from __future__ import annotations

from dataclasses import dataclass

CLAUSE = frozenset("clause".split())
OBJECT = frozenset("clause object".split())
INTENT = frozenset("clause infinitive".split())
OBJECT_INTENT = frozenset("clause object infinitive".split())


@dataclass(frozen=True)
class Cue:
    """How one cue verb carries its content, and why it is a cue."""

    frames: frozenset[str]
    reason: str
    kind: str = "indirect"  # the kind when the content is not a direct quote


CUE_VERBS: dict[str, Cue] = {
    # Speech: verbs whose whole job is to report an utterance.
    "say": Cue(CLAUSE, "the neutral speech verb; a fifth of all PolNeAR cues"),
    "tell": Cue(CLAUSE, "speech to an addressee; its object is the listener, not the message"),
    "add": Cue(CLAUSE, "continues an earlier statement by the same speaker"),
    "continue": Cue(CLAUSE, "'..., he continued': continues a statement; a clause or quote is required"),
    "echo": Cue(OBJECT, "repeats another speaker's message"),
    "claim": Cue(OBJECT, "speech the writer does not vouch for"),
    "insist": Cue(CLAUSE, "repeated speech against doubt"),
    "argue": Cue(CLAUSE, "speech that makes a case"),
    "contend": Cue(CLAUSE, "speech that makes a case"),
    "maintain": Cue(CLAUSE, "speech held against doubt; a clause is required, so 'maintain roads' is no cue"),
    "assert": Cue(CLAUSE, "speech stated as fact"),
    "state": Cue(CLAUSE, "formal speech"),
    "declare": Cue(OBJECT, "formal speech; 'declared victory' is the message"),
    "note": Cue(CLAUSE, "speech pointing out a fact"),
    "observe": Cue(CLAUSE, "speech pointing out a fact"),
    "remark": Cue(CLAUSE, "speech in passing"),
    "explain": Cue(CLAUSE, "speech giving a reason"),
    "write": Cue(CLAUSE, "written speech: columns, letters, posts"),
    "tweet": Cue(OBJECT, "written speech on Twitter, frequent in political news"),
    "post": Cue(CLAUSE, "written speech on social media"),
    "reply": Cue(CLAUSE, "speech in answer"),
    "respond": Cue(CLAUSE, "speech in answer"),
    "answer": Cue(CLAUSE, "speech in answer"),
    "ask": Cue(OBJECT_INTENT, "a question or a request is reported speech"),
    "wonder": Cue(CLAUSE, "a question, spoken or thought"),
    "recall": Cue(OBJECT, "speech about the past"),
    "joke": Cue(CLAUSE, "speech said in jest is still speech"),
    "quip": Cue(CLAUSE, "speech said in jest is still speech"),
    "boast": Cue(CLAUSE, "speech in praise of oneself"),
    "brag": Cue(CLAUSE, "speech in praise of oneself"),
    "complain": Cue(OBJECT, "speech of grievance ('complained about ...')"),
    "testify": Cue(CLAUSE, "speech under oath"),
    "announce": Cue(OBJECT_INTENT, "speech making news public; its object is the news"),
    "report": Cue(OBJECT, "an outlet or official relaying information", "according_to"),
    "confirm": Cue(OBJECT, "speech vouching for a fact; its object is the fact"),
    "deny": Cue(OBJECT, "speech rejecting a claim; its object is the claim"),
    "acknowledge": Cue(OBJECT, "speech conceding a fact"),
    "admit": Cue(OBJECT, "speech conceding a fact"),
    "concede": Cue(OBJECT, "speech conceding a fact"),
    "reveal": Cue(OBJECT, "speech disclosing a fact"),
    "disclose": Cue(OBJECT, "speech disclosing a fact"),
    "warn": Cue(OBJECT_INTENT, "speech about a danger ('warned of ...', 'warned X to ...')"),
    "caution": Cue(CLAUSE, "speech about a danger"),
    "predict": Cue(OBJECT, "speech about the future"),
    "promise": Cue(OBJECT_INTENT, "speech committing to an act"),
    "vow": Cue(OBJECT_INTENT, "speech committing to an act"),
    "pledge": Cue(OBJECT_INTENT, "speech committing to an act"),
    "threaten": Cue(OBJECT_INTENT, "speech committing to a harm"),
    "accuse": Cue(OBJECT, "speech blaming someone ('accused Y of ...')"),
    "blame": Cue(OBJECT, "speech blaming someone"),
    "charge": Cue(CLAUSE, "speech accusing; only with a clause, so 'charged a fee' is no cue"),
    "allege": Cue(OBJECT, "speech accusing without proof"),
    "criticize": Cue(OBJECT, "speech against someone; PolNeAR counts the object as the message"),
    "slam": Cue(OBJECT, "headline verb for criticising"),
    "blast": Cue(OBJECT, "headline verb for criticising"),
    "condemn": Cue(OBJECT, "speech against someone"),
    "denounce": Cue(OBJECT, "speech against someone"),
    "praise": Cue(OBJECT, "speech for someone"),
    "defend": Cue(OBJECT, "speech for someone"),
    "dismiss": Cue(OBJECT, "speech rejecting a claim"),
    "reject": Cue(OBJECT, "speech rejecting a claim"),
    "describe": Cue(OBJECT, "speech characterising ('described X as ...')"),
    "call": Cue(OBJECT_INTENT, "'called X a liar', 'called for ...', 'called on X to ...' report a message"),
    "urge": Cue(OBJECT_INTENT, "speech asking for an act"),
    "demand": Cue(OBJECT_INTENT, "speech asking for an act"),
    "propose": Cue(OBJECT_INTENT, "speech putting forward a plan"),
    "suggest": Cue(OBJECT, "speech or evidence pointing to a conclusion ('polls suggest ...')"),
    "endorse": Cue(OBJECT, "a public statement of support; the outlet endorsing is a speaker"),
    "cite": Cue(OBJECT, "speech resting on a source"),
    "decline": Cue(frozenset({"infinitive"}), "'declined to say ...' reports a refusal to speak"),
    "refuse": Cue(frozenset({"infinitive"}), "'refused to say ...' reports a refusal to speak"),
    "question": Cue(OBJECT, "speech doubting a claim"),
    "attack": Cue(OBJECT, "political speech against someone; its object is the target"),
    "mock": Cue(OBJECT, "speech ridiculing someone"),
    "reiterate": Cue(OBJECT, "speech repeating a position"),
    "lament": Cue(OBJECT, "speech of regret"),
    "tout": Cue(OBJECT, "speech promoting something"),
    "hint": Cue(OBJECT, "speech suggesting without saying ('hinted at ...')"),
    "signal": Cue(OBJECT, "a stated or shown intention"),
    "assure": Cue(CLAUSE, "speech promising a listener"),
    "recommend": Cue(OBJECT, "speech advising an act"),
    "advise": Cue(OBJECT_INTENT, "speech advising an act"),
    "confess": Cue(OBJECT, "speech conceding a fault"),
    "characterize": Cue(OBJECT, "speech characterising ('characterized X as ...')"),
    "label": Cue(OBJECT, "'labelled X a ...': speech characterising"),
    "brand": Cue(OBJECT, "'branded X a liar': speech characterising"),
    "dub": Cue(OBJECT, "'dubbed X ...': speech naming"),
    "criticise": Cue(OBJECT, "British spelling of criticize"),
    "emphasise": Cue(OBJECT, "British spelling of emphasize"),
    "talk": Cue(OBJECT, "'talked about ...': speech on a topic"),
    "speak": Cue(OBJECT, "'spoke of ...': speech on a topic"),
    "mention": Cue(OBJECT, "speech in passing"),
    "point": Cue(OBJECT, "'pointed to ...', 'pointed out that ...'"),
    "express": Cue(OBJECT, "'expressed concern ...': speech conveying a view"),
    "emphasize": Cue(OBJECT, "speech stressing a point"),
    "stress": Cue(OBJECT, "speech stressing a point"),
    "highlight": Cue(OBJECT, "speech stressing a point"),
    "remind": Cue(CLAUSE, "speech recalling a fact to someone"),
    # Manner of speaking: fiction's and interviews' "she whispered", "he shouted"; a clause or an
    # adjacent quotation is required, so "the crowd shouted" alone is no cue.
    "shout": Cue(CLAUSE, "speech said loudly"),
    "yell": Cue(CLAUSE, "speech said loudly"),
    "scream": Cue(CLAUSE, "speech said loudly"),
    "whisper": Cue(CLAUSE, "speech said softly"),
    "mutter": Cue(CLAUSE, "speech said under the breath"),
    "murmur": Cue(CLAUSE, "speech said softly"),
    "exclaim": Cue(CLAUSE, "speech said with feeling"),
    "cry": Cue(CLAUSE, "'“Stop!” she cried': speech said with feeling; weeping takes no clause or quotation"),
    "learn": Cue(CLAUSE, "'The Post has learned that ...': an outlet's own reporting"),
    # Evidence: polls and studies are sources in political news and PolNeAR annotates them.
    "show": Cue(OBJECT, "'a poll shows that ...', 'shows Sanders leading': evidence as a source"),
    "find": Cue(CLAUSE, "'the study found that ...'; a clause is required, so 'found the keys' is no cue"),
    "indicate": Cue(CLAUSE, "evidence pointing to a conclusion"),
    "conclude": Cue(CLAUSE, "a judgement reached by a person or a study"),
    "estimate": Cue(CLAUSE, "a figure put forward by a source"),
    # Cognition and intention: PolNeAR annotates beliefs and intentions, and "who holds this view"
    # is as useful to a reader as "who said it"; mostly with a clause or a to-clause.
    "believe": Cue(CLAUSE, "a belief held by the subject"),
    "think": Cue(CLAUSE, "a belief held by the subject"),
    "know": Cue(CLAUSE, "a belief held as fact; a clause is required"),
    "expect": Cue(INTENT, "a belief about the future"),
    "hope": Cue(INTENT, "a wish about the future"),
    "hop": Cue(INTENT, "the small model's lemma of 'hoping'; no politician hops in a to-clause"),
    "see": Cue(OBJECT, "'sees that ...', 'saw golf as wasted space': a view held"),
    "consider": Cue(OBJECT_INTENT, "a view ('considers X a threat') or an intention"),
    "remember": Cue(CLAUSE, "a belief about the past"),
    "prefer": Cue(OBJECT_INTENT, "a stated preference"),
    "decide": Cue(INTENT, "an intention settled"),
    "fear": Cue(OBJECT, "a belief about a danger"),
    "worry": Cue(CLAUSE, "a belief about a danger"),
    "doubt": Cue(OBJECT, "a belief against a claim"),
    "want": Cue(frozenset({"object", "infinitive"}), "an intention ('wants to ...', 'wants a wall')"),
    "plan": Cue(frozenset({"infinitive"}), "an intention ('plans to ...')"),
    "intend": Cue(frozenset({"infinitive"}), "an intention"),
    "seek": Cue(
        frozenset({"object", "infinitive"}), "an intention ('seeks to ...', 'sought the nomination')"
    ),
    "agree": Cue(INTENT, "a shared view or commitment"),
    "support": Cue(OBJECT, "a stated position for a person or policy"),
    "oppose": Cue(OBJECT, "a stated position against a person or policy"),
    # Issue 17c, from train's undetected gold cues (F1 train / dev A / dev B each, docs/speakers.md).
    "back": Cue(OBJECT, "a stated position for a person or policy ('backed the bill')"),
    "discuss": Cue(OBJECT, "speech on a topic; its object is the topic"),
    "encourage": Cue(OBJECT_INTENT, "speech asking for an act ('encouraged voters to ...')"),
    "portray": Cue(OBJECT, "speech characterising ('portrayed X as ...')"),
    "seem": Cue(frozenset({"infinitive"}), "'X seemed to suggest ...': PolNeAR marks the to-clause as X's"),
    "appear": Cue(frozenset({"infinitive"}), "'X appeared to ...'; a to-clause is required, so 'appeared on TV' is no cue"),
    # Issue 17d, tried one by one like those above (docs/speakers.md): recognize and vote together F1
    # train +0.0013, dev A +0.0005, dev B +0.0030; read after them +0.0005 / +0.0000 / +0.0015.
    "recognize": Cue(OBJECT, "speech conceding a fact ('recognized the problem', 'recognizes that ...')"),
    "vote": Cue(OBJECT, "a stated position for a person or policy ('voted for the bill', 'will vote for Trump')"),
    "read": Cue(CLAUSE, "a written message: 'a sign that read “...”', 'the statement read: “...”'; a clause or quote is required"),
}

# Cues whose subject is someone speaking ("Velk said", "Velk asked"): only people and bodies speak,
# while "the study found" or "Earth finds us" take any subject. Speaker resolution gives their
# subjects extra salience and takes an untagged proper noun among them for a person.
SPEECH_VERBS = frozenset(
    "say tell add ask reply answer respond explain write warn insist argue claim note state announce "
    "admit remark declare recall joke quip shout yell scream whisper mutter murmur exclaim cry".split()
)
assert SPEECH_VERBS <= CUE_VERBS.keys(), SPEECH_VERBS - CUE_VERBS.keys()  # one lexicon, not two
# Prepositions between an office and its place or department: "envoy to Ukraine", "Secretary of
# Defense", "U.S. Attorney for Manhattan"; the holder's name may follow ("... Kurt Volker").
OFFICE_PREPOSITIONS = frozenset({"to", "of", "for"})
# Speech verbs whose nominal object is never the listener ("told reporters", "asked Trump" are): after
# the message, the noun the parser made their object is the speaker ("..., said another witness").
NO_LISTENER_VERBS = frozenset("say add write explain note state insist argue claim".split())
assert NO_LISTENER_VERBS <= SPEECH_VERBS, NO_LISTENER_VERBS - SPEECH_VERBS

# Cues that hold a view or an intention: negated, they still state one ("I don't think he will
# win", "does not support the bill"), so a negated row of these is kept as a statement. Every
# other negated cue ("is not saying what he would do", "did not disclose its finances") reports
# that nothing was said: read on PolNeAR train, 13 of 15 sampled such rows were no statement.
VIEW_VERBS = frozenset(
    "believe think know expect hope hop see consider remember prefer decide fear worry doubt want plan "
    "intend seek agree support oppose back seem appear vote recognize".split()
)
assert VIEW_VERBS <= CUE_VERBS.keys(), VIEW_VERBS - CUE_VERBS.keys()
# Cues of thought and evidence: "think about", "worry about", "learn about", "find out about" are no
# statement on a topic, as "wrote about", "testified about", "told reporters about" are.
THOUGHT_VERBS = VIEW_VERBS | frozenset("learn find indicate conclude estimate wonder read".split())
# Determiners and words that make a subject nobody: "No official said", "Neither Johnson nor Weld ...".
NOBODY = frozenset("no neither nobody none".split())

# Nouns that report a message in a that-clause ("his claim that ...", "the warning that ..."); the
# possessor is the speaker. Only with the clause: "the report" alone names a document, not a message.
CUE_NOUNS = frozenset(
    (
        "claim statement assertion argument belief view warning promise pledge suggestion allegation "
        "accusation insistence fear hope report announcement admission prediction assurance charge"
    ).split()
)

# Prepositions whose phrase carries the message of an "object" cue ("accused X of ...", "called for ...").
# Not "on": "spoke on condition of anonymity", "said on Monday" are circumstances far more often.
CONTENT_PREPS = frozenset("of about for against as that".split())

# Relative words opening the writer's gloss after a comma at the end of a content (", which is ...",
# ", who represents ..."): not part of the message. Not "where"/"when": those often carry it.
GLOSS_RELATIVES = frozenset("which who".split())

# Words that announce that the speaker will not speak; "comment" is the message they withhold.
NO_COMMENT_VERBS = frozenset("decline refuse comment respond return reply answer reach".split())
# What an unanswered request is for ("did not return a call seeking comment").
NO_COMMENT_OBJECTS = frozenset("comment call message email request inquiry question".split())

# Head nouns of speakers who are not named on purpose ("a source said", "people familiar with ...").
ANONYMOUS_NOUNS = frozenset("source insider person people someone".split())
# Verbs that, as a participle after a noun, give it a name and report no speech: "a firm called
# Cambridge Analytica", "a play titled ...", "a man known as ...".
NAMING_VERBS = frozenset("call dub name title label term know".split())
# Nouns that are anonymous when indefinite or plural ("a senior official", "officials said"),
# but a description of a known person when definite ("the official" after "Jane Doe, an official").
ANONYMOUS_WHEN_INDEFINITE = frozenset(
    "official aide adviser advisor staffer diplomat officer member operative ally".split()
)
# Every noun that names a source by role, not by name ("aides", "an official", "people familiar ...").
SOURCE_NOUNS = ANONYMOUS_NOUNS | ANONYMOUS_WHEN_INDEFINITE
# Words in a sentence that make its speaker anonymous whatever the noun ("spoke on condition of anonymity"),
# unless they lie in the message itself ("finding only one man, an unidentified 18-year-old").
ANONYMITY_MARKERS = frozenset("anonymity anonymously unnamed unidentified".split())
# Verbs that, with an anonymity word, state the terms a source spoke on and report no message of their
# own: "who spoke on condition of anonymity", "requested anonymity", "asking for anonymity".
ANONYMITY_FRAME_VERBS = frozenset("speak talk request ask grant describe comment".split())
# Verbs whose to-clause is the permission to speak, not a message: "not authorized to discuss the talks".
PERMISSION_VERBS = frozenset("authorize allow permit clear".split())
# Quantifiers that make "people" a population rather than a source: "most people would consider",
# "many people worry". Not "some": "some people familiar with the talks" is a source.
CROWD_QUANTIFIERS = frozenset("most many few any every all no".split())
# A counted group this large is a crowd, not a source ("603,000 people voted", "30 million people
# see"); sources come in ones and twos, and the largest group of sources in PolNeAR train is "two
# dozen other top Democrats". 100 sits well between the two.
CROWD_SIZE = 100

# Descriptions that stand for a person named earlier ("the spokesman said" after "John Doe, a spokesman").
PERSON_ROLES = frozenset(
    (
        "spokesman spokeswoman spokesperson minister president secretary senator governor candidate "
        "nominee official aide adviser advisor chairman chairwoman director leader lawmaker "
        "congressman congresswoman mayor representative ambassador lawyer attorney chief manager "
        "businessman businesswoman woman man former billionaire democrat republican"
    ).split()
)
# Descriptions that stand for an organisation named earlier ("the campaign said").
ORG_ROLES = frozenset(
    (
        "campaign company firm agency department committee group newspaper paper network organization "
        "ministry party administration office team magazine site website outlet station channel "
        "automaker carmaker retailer bank lender insurer airline manufacturer maker brokerage union "
        "university hospital"
    ).split()
)
# Roles held for someone else: unpaired, "the aide" or "the spokesman" is not the person in view
# (whom they serve) but someone the text never named.
HELPER_ROLES = ANONYMOUS_WHEN_INDEFINITE | frozenset({"spokesman", "spokeswoman", "spokesperson"})
# A place before a noun names the speaker only when the noun is a body of the place ("the Beijing
# government", "Boston police"); before a person ("the New York businessman") it says where from.
PLACE_BODIES = ORG_ROLES | frozenset(
    {"government", "authority", "authorities", "council", "legislature", "state", "police",
     "military", "army", "navy", "embassy", "parliament"}
)
# The bodies of a state, which a place's possessive names too ("Russia's foreign ministry", "Israel's
# military"); not a firm there ("Russia's largest bank" is not Russia), so no company roles.
STATE_BODIES = (PLACE_BODIES - ORG_ROLES) | frozenset({"ministry", "department", "agency", "office", "administration"})
# Messages a speaker puts out: "the statement said" is whoever issued the statement the text named
# before ("the military said in a statement", "X issued a statement"); its possessor issued "his letter".
ISSUED_MESSAGES = frozenset("statement release letter memo email tweet post message".split())
# Documents whose "by" or "from" names their author ("a report by E! News", "data from comScore"); a
# person's "from" names where they come from ("a user from Hanover", "the chairs from Jefferson").
AUTHORED = ISSUED_MESSAGES | frozenset(
    "report study poll survey analysis data paper review count tally projection calculation estimate "
    "research guidance document record filing audit investigation forecast".split()
)
# Bodies that act for the one person who has them, as "the Clinton campaign" does: "Clinton's
# campaign", "his office" speak for that person (not "his party", "Trump's company": bodies of their own).
PERSONAL_BODIES = frozenset({"campaign", "camp", "team", "office", "administration", "staff"})
# Verbs whose object, not their subject, does what their to-clause or participle says ("All this
# leads the journalist to fear ...", "left her wanting to learn more", "footage showed her asking"):
# the object speaks. Causative and perception verbs only: after a request ("pushed Dems to reject",
# "encouraged others to support") PolNeAR names the one who asked, and so does a reader.
OBJECT_CONTROL_VERBS = frozenset("lead leave prompt cause allow enable get see hear watch show find".split())
# Lower-cased words (dots dropped) that stand before a person's name as a title or honorific.
TITLE_WORDS = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady rev reverend father sister
    president vice prime minister chancellor premier secretary governor gov senator sen
    representative rep congressman congresswoman mayor councilman councilwoman councillor
    judge judges justice chief commissioner superintendent speaker leader majority minority
    attorney general gen colonel col lieutenant lt captain capt sergeant sgt officer detective
    ambassador coach king queen prince princess pope bishop chairman chairwoman chair
    director executive ceo partner""".split()
)
