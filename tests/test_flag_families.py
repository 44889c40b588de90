"""More families of inconsistency, each planted in a short article and paired with the same article
written consistently, which must stay quiet: dissent in a unanimous vote, a first that happened
before, a majority nobody holds, two sides of a court case, two ranks, an independent in a party,
a vote for and against, a departure from two places, a share against its count, a fee and its
instalments, a projection credited to two bodies; a minister leading the opposition, two parties,
an owner behind "its", a percentage change against its values, a breakdown against its amount, a
list opened by "In total", a share of the respondents, a contract paid and unspent, a winning margin given twice, stores left after closures, a new fare given twice, counsel
named with "KC" on both sides, a remark, a survey and a study credited twice, a majority verdict called
unanimous, an outage started on another day, a bridge reopened and still closed, a "first since"
before a later one, one unannounced inspection in two months; an owned opposition, a side "come
out" against, a first won before, "voted no" in a unanimous ballot, a whole split to "the other",
an overrun, a percentage approval against its count, a remark "made" by another, a finding and a
forecast credited twice; a walkout and "the stoppage" on two days, a vote and polling day on two
dates, talks in two towns, two chief offices, "who is X's operations director", an estimate of
"X's own laboratory", "who said" and a quoted "remark" repeating another's words; a share stated
apart from its count, a vote share against its for and against, a part "of them" against the whole
counted the sentence before; a captain and a head coach, "the board" a person works for against
another body, an office before a name through "on the project" (a name written with accents), an
owner's nationality beside a relative clause; a state kept "throughout" against its opposite (WordNet
antonyms), and a reopening against "must remain closed" said of the same place by a broader noun; a
verdict "took hours to reach" on one day and dated another; a first start against a race that "last
began" there (WordNet synonyms); a deed denied of every one ("no crew member had to be rescued")
against "the one rescue"; a percentage fall against the values told further on; one change told
twice with two values; a list closed by "the remaining" against its whole in words, a share whose
part is "Sixty-four", last year's visitors given twice, a rise against two values dated by year, a
planned difference, one contract at two values, "the additional 30 hectares" against 60 to 85, a "current" count against "add N, bringing the total to T", a grant shared
out, a difference against a before and after with no noun; an employer after "at contractor",
"the hospital's" office against another hospital, a group based in two cities, "the Danish company"; a quotation owned by a possessive; "conceded" and "has not conceded", "would not
seek any extra firefighters" against "six more firefighters", "none for social rent" against "the 25
social rent flats", a session
held at two places, a line that "went live" and "went into service" on two dates, "the building" closed while the gallery stays open;
"the N percent drop ... would not change" against its values, a "jump" against what goes from one value to another, a run
of parts counting one noun inside a longer list, a lead over a rival against the rival's total, a planned breakdown, an
amount over a span or raised from a count against its rate, a lowercase title the parser reads as a verb, "fire chief"
against another office, money denied against an amount of it, what paid for a cost, a "six-point fall", a business a
person owns, a "first ever ... since it opened" against a later one, one business owned from two countries, a figure
claimed back ("the 25 percent estimate was her own")."""

from __future__ import annotations

import pytest

from assistant import audit
from conftest import article_facts


def _flags(text: str, words, kind: str):
    return [x for x in audit.audit([article_facts(text)], words) if x.kind == kind]


CASES = [
    ("claim_conflict",
     "The regional executive of the Transport Workers Union voted unanimously on Monday to call two "
     "strikes at the bus depots.\nThe first strike will begin on 3 May.\n"
     "Two of the executive's nine members {x}, according to minutes seen by the Courier.\n",
     "voted against calling the strikes", "were absent from the meeting"),
    ("claim_conflict",
     "Harlow Town reached the final of the County Cup for the first time in the club's 90-year "
     "history on Saturday.\nThe side won 2-0 at Eastfield.\n"
     "Fans still talk about the 1998 final, when {x} lost 4-1 to Derwent.\n",
     "Harlow Town", "Millbrook Rovers"),
    ("claim_conflict",
     "The Harbour Alliance won {x} of the 57 seats on Tarnby council in Thursday's election.\n"
     "Turnout was 38 percent.\n"
     "With no party holding an overall majority, talks on forming an administration begin on Monday.\n",
     "31", "25"),
    ("claim_conflict",
     "The budget passed by 30 votes to 21 on Wednesday.\n"
     "Councillor Ama Reed, who voted against the budget, said the cuts to youth services were wrong.\n"
     "Reed, whose vote {x} the budget surprised colleagues, said she would keep pressing for change.\n",
     "in favour of", "against"),
    ("claim_conflict",
     "The first passenger ferry left Kelby Pier at 6.10 a.m. on Monday with 140 people on board.\n"
     "Tickets sold out within an hour.\n"
     "Crowds waved as the maiden ferry, which set off from {x}, crossed the sound.\n",
     "Norrhamn Quay", "Kelby Pier"),
    ("role_conflict",
     "Prosecuting, Jane Osler KC told the jury that the money had been moved through three accounts.\n"
     "The trial continues.\n"
     "Osler, {x}, said the defendant had cooperated with investigators.\n",
     "defending", "for the prosecution"),
    ("role_conflict",
     "Detective Inspector Ann Vole said two men had been arrested in Harnfold.\n"
     "Both were released on bail.\n"
     "Detective {x} Vole said officers had recovered a stolen van.\n",
     "Sergeant", "Inspector"),
    ("role_conflict",
     "Mayor Tom Gale, an independent councillor who has led the town council since 2022, welcomed the "
     "figures.\nVisitor numbers rose by a fifth.\n"
     "Gale, who represents {x} on the council, said the money would go to the seafront.\n",
     "the Coastal Alliance party", "the harbour ward"),
    ("number_conflict",
     "The union said 91 percent of those voting had backed action, on a turnout of 64 percent.\n"
     "The hospital trust said it was disappointed.\n"
     "In all, {x} of the 2,140 members who returned ballots voted yes, according to the union.\n",
     "1,780", "1,948"),
    ("number_conflict",
     "Harwick Rovers signed the striker from Castlemere Athletic on Monday. The total fee stood at "
     "£4.2 million, a club record.\nThe player has agreed a four-year contract.\n"
     "Of the fee, £3.4 million will be paid up front, with a further {x} due in add-ons.\n",
     "£600,000", "£800,000"),
    ("attribution_conflict",
     "A forecast issued last week by the Tarn Environment Agency suggests reservoir stocks could fall "
     "below 55 percent by mid-August.\nThe company has 1.2 million customers.\n"
     "Operations director Ben Achter said the mid-August projection had been drawn up by {x} and would "
     "be updated every week.\n",
     "the water company's own hydrology team", "the Tarn Environment Agency"),
    # a minister sits in the government, not at the head of the opposition
    ("role_conflict",
     "Tova Lind, the regional transport minister, opened the new tram line on Friday.\n"
     "The line has 14 stops.\n"
     "Lind, who {x} in the regional assembly, said fares would stay frozen.\n",
     "leads the opposition Harbour League", "has held the transport brief since 2023"),
    # a party the small parser takes for a place ("Green Union") against another party
    ("role_conflict",
     "Green Union co-leader Mira Holt will become finance minister under the deal.\n"
     "The coalition has 61 of the 120 seats.\n"
     "Holt, who sits in parliament for {x}, said the budget would come first.\n",
     "Civic Renewal", "the Green Union"),
    ("role_conflict",
     "Prosecutor Ruth Cale told jurors the accounts had been falsified.\n"
     "The trial entered its third week.\n"
     "Cale, who {x}, said the bank's records would be read in full.\n",
     "heads Marsh's defence team", "leads the prosecution case"),
    # "its" stands for the owner named just before it
    ("role_conflict",
     "Arn Vesk, Kaldmark's trade minister, said the tariff cut would help exporters.\n"
     "The deal covers 40 products.\n"
     "{x}'s delegation was led by its trade minister, Arn Vesk, who signed the text.\n",
     "Orrisey", "Kaldmark"),
    ("number_conflict",
     "Average water bills in Tarnby rose {x} last year, the regulator said.\n"
     "The average annual bill went from £400 in 2023 to £440 in 2024.\n"
     "Sewage charges made up most of the rise.\n",
     "15 per cent", "10 per cent"),
    ("number_conflict",
     "The Harrow Lane school appeal raised £50,000 this year, the governors said on Monday.\n"
     "Parents ran a fun run in May.\n"
     "The money came from £30,000 in sponsorship, £12,000 from local firms and {x} in gift aid.\n",
     "£5,000", "£8,000"),
    ("number_conflict",
     "The council surveyed 300 households in Kelby about the new bin rounds.\n"
     "In total, 180 backed the change, while {x} opposed it.\n"
     "The rounds start in June.\n",
     "110", "120"),
    ("attribution_conflict",
     "\"Nobody should have to wait a week for a bed,\" said Dr Ana Pell, the hospital's medical director.\n"
     "The hospital has 400 beds.\n"
     "{x}, whose remark that nobody should have to wait a week for a bed was widely shared, said "
     "more nurses were coming.\n",
     "Health minister Joe Marr", "Pell"),
    ("attribution_conflict",
     "Visitor numbers rose to 80,000, according to a survey carried out by the Tarn Tourism Office.\n"
     "Hotels were full for most of August.\n"
     "Ola Brenn, an analyst at the {x}, which conducted the visitor survey, said spending was up too.\n",
     "Tarn Film Institute", "Tarn Tourism Office"),
    ("attribution_conflict",
     "Sea ice in the bay has thinned by 12 percent since 2010, according to a study by researchers at "
     "the Nordby Polar Institute.\nThe ice is thinnest near the coast.\n"
     "The study, carried out by {x}, was funded by the national science fund.\n",
     "Kessby University's oceanography department", "the institute's own sea-ice team"),
    ("claim_conflict",
     "The jury's decision was unanimous, the court clerk said after the hearing.\n"
     "Sentencing will take place next month.\n"
     "Judge Ida Moss thanked the jurors and said she would accept the {x} verdict.\n",
     "10-2 majority", "guilty"),
    ("claim_conflict",
     "A signal fault caused the outage that stopped all trains on the Kell line on Tuesday morning.\n"
     "About 20,000 passengers were affected.\n"
     "When the outage began at 7.05 a.m. on {x}, six trains were between stations.\n",
     "Wednesday", "Tuesday"),
    ("claim_conflict",
     "Kell Bridge reopened to traffic on Monday after engineers checked its supports.\n"
     "The river peaked on Saturday.\n"
     "Buses are still using the ring road, with Kell Bridge {x}.\n",
     "closed since Saturday", "busy again since Monday"),
    ("claim_conflict",
     "The university will raise tuition by 4 percent, the first rise in fees since {x}.\n"
     "Students protested on Monday.\n"
     "The rector noted that fees had last gone up in 2021, by 2 percent.\n",
     "2017", "2021"),
    ("claim_conflict",
     "Inspectors made an unannounced visit to Harn prison on 12 March.\n"
     "They found crowded cells on every wing.\n"
     "The governor said that since the unannounced inspection in {x} he had hired 18 officers.\n",
     "February", "March"),
    ("attribution_conflict",
     "\"The kitchen posed an immediate risk to public health,\" said Mara Stoll, the council's food "
     "safety officer.\nThe cafe was closed on Tuesday.\n"
     "The warning that the kitchen posed an immediate risk came from {x}, who visited the cafe.\n",
     "Councillor Dev Ash", "Mara Stoll"),
    ("number_conflict",
     "The student union surveyed 1,200 undergraduates last month about the fee rise.\n"
     "The survey ran for two weeks.\n"
     "Some 52 percent of respondents, or {x} students, said they would take on extra work.\n",
     "540", "624"),
    ("number_conflict",
     "The relay is being built by Drummel Aero under a contract worth 412 million crowns.\n"
     "It will carry data from landers on the far side of the Moon.\n"
     "The launch slipped to October.\n"
     "Engineers found a fault in March.\n"
     "With 290 million crowns already paid out, {x} million crowns of the contract remain unspent.\n",
     "98", "122"),
    ("number_conflict",
     "Ana Ruiz won the Tour of Kell on Sunday, finishing 14 seconds ahead of Marek Novak in the overall standings.\n"
     "The race covered five stages.\n"
     "Ruiz finished {x} seconds clear of Novak in the final standings, with Sem Bakker third.\n",
     "19", "14"),
    ("number_conflict",
     "Hartwell said on Monday it will shut 48 of its 160 stores by the end of the year.\n"
     "About 900 jobs are at risk.\n"
     "After the closures, Hartwell will trade from {x} shops, most of them in city centres.\n",
     "102", "112"),
    ("role_conflict",
     "Prosecuting, Alison Brent KC told the jury that Greaves had betrayed the charity.\n"
     "Martin Greaves, 58, was convicted of fraud on Thursday after a three-week trial.\n"
     "Brent, who {x} throughout the trial, described his account as implausible.\n",
     "represented Greaves", "spoke for the Crown"),
    ("number_conflict",
     "The standard adult single fare will go up from 2.40 crowns to 2.75 crowns in January.\n"
     "Monthly passes are unchanged.\n"
     "Councillor Ivo Prent said the new {x}-crown single fare was still below those in other cities.\n",
     "2.85", "2.75"),
    ("claim_conflict",
     "The Harbour Pilots' Association backs the planned marina at Kell Point.\n"
     "The marina would have 300 berths.\n"
     "Association chair Tom Reyes restated the pilots' {x} the marina at a public meeting on Tuesday.\n",
     "opposition to", "support for"),
    ("claim_conflict",
     "Tarn Valley's growers' cooperative backed the proposal at its spring meeting.\n"
     "The regional government wants a water levy on large farms to fund new reservoirs.\n"
     "The cooperative, which has come out {x} the levy, wants cheap loans for farmers as well.\n",
     "against", "in favour of"),
    ("claim_conflict",
     "Corby Athletic won the Northern Shield for the first time in the club's history on Saturday.\n"
     "The final ended 3-1.\n"
     "Corby, who also {x} in 2011, are managed by Ian Hale.\n",
     "won the Northern Shield", "played in the Northern Shield final"),
    ("claim_conflict",
     "The Rail Staff Union said its members had backed the strike unanimously in a ballot that closed on Friday.\n"
     "The strike starts on 2 June.\n"
     "\"Around 40 members voted {x}, and we respect that,\" branch secretary Ann Holt said.\n",
     "no", "by post"),
    ("number_conflict",
     "The Marren bridge was originally budgeted at 40 million crowns when work began in 2021.\n"
     "The final bill came to 52 million crowns, an overrun of {x} million that the builder blamed on steel.\n",
     "14", "12"),
    ("number_conflict",
     "At Monday's meeting, 150 of the 200 members who cast ballots approved the merger.\n"
     "The new co-operative will start in May.\n"
     "The chair said the {x} percent approval was a clear mandate.\n",
     "85", "75"),
    ("attribution_conflict",
     "\"We can live with a smaller season. What we cannot lose is the orchestra,\" Ilsa Morn told "
     "reporters at the theatre.\nThe company will stage four operas instead of six.\n"
     "{x}, who made the remark about living with a smaller season at the briefing, also praised the chorus.\n",
     "Music director Paul Vane", "Morn"),
    ("attribution_conflict",
     "A report by the Rural Schools Trust, published in May, estimated that one in four rural pupils "
     "never sits the entrance exam.\nThe exam costs 40 crowns.\n"
     "Union leader Lina Voss pointed to the {x} finding that one in four rural pupils skip the exam.\n",
     "county education office's", "trust's"),
    ("attribution_conflict",
     "Turnout is expected to reach about 55 percent, according to a forecast from the Kell statistics office.\n"
     "Polls open at 7 a.m.\n"
     "Observers said the turnout projection, produced by {x}, would make it a closely watched vote.\n",
     "the university's polling unit", "the statistics office"),
    ("claim_conflict",
     "Crane drivers at the Kell container terminal walked out on Monday morning over pay.\n"
     "Ships queued offshore.\n"
     "The port has been short of cranes since the stoppage began on {x}.\n",
     "Tuesday", "Monday"),
    ("claim_conflict",
     "Residents of Tarn will vote on Saturday, 15 March, on whether the harbour should be enlarged.\n"
     "The council will print leaflets for both sides.\n"
     "They will reach homes three weeks before polling day on {x}.\n",
     "Sunday, 16 March", "Saturday, 15 March"),
    ("claim_conflict",
     "Ministers agreed the herring quota after talks in the port town of Skarn on Thursday.\n"
     "The deal runs for a year.\n"
     "Delegates who gathered in {x} for the negotiations praised the hosts.\n",
     "Lyngby", "Skarn"),
    ("role_conflict",
     "The company's chief operating officer, Mira Holt, said the rollout was on time.\n"
     "The network covers 40 towns.\n"
     "\"We are ahead of plan,\" said Mira Holt, the company's chief {x} officer.\n",
     "financial", "operating"),
    ("role_conflict",
     "Westway chief executive Hanna Rook said passenger numbers had fallen.\n"
     "The ferry runs twice a day.\n"
     "Rook, who is Westway's {x}, said fares would not rise.\n",
     "operations director", "chief executive"),
    ("attribution_conflict",
     "The timber gate was built around 420 BC, according to Dr Ian Pell, a specialist at Merrow University.\n"
     "Volunteers found it in May.\n"
     "{x} own laboratory produced the 420 BC estimate from charcoal samples.\n",
     "The trust's", "Pell's"),
    ("attribution_conflict",
     "\"We gambled on hard tyres and it paid off in the last ten laps,\" said Otto Brand, the team principal.\n"
     "The race was stopped twice.\n"
     "{x}, who said the team had gambled on hard tyres, praised the mechanics.\n",
     "Lena Vass", "Brand"),
    ("attribution_conflict",
     "\"The hall was full by nine and even then it was elbow to elbow,\" chief arbiter Mia Stone said.\n"
     "The open drew 400 players.\n"
     "{x} \"elbow to elbow\" remark, made to reporters on Saturday, was widely shared.\n",
     "Tom Edd's", "Stone's"),
    ("number_conflict",
     "Of the 480 nurses who answered the survey, 132 said they had applied for jobs abroad.\n"
     "The union will present the results on Friday.\n"
     "Nurses who have applied abroad make up about {x} percent of those who answered, the union said.\n",
     "40", "27"),
    ("number_conflict",
     "Members of the Westfold Housing Co-operative voted by {x} percent to buy the Mill Lane flats.\n"
     "The sale is due to close in March.\n"
     "In all, 212 members voted in favour and 98 against, the co-operative said.\n",
     "81", "68"),
    ("number_conflict",
     "Divers recovered 150 coins from the wreck this summer.\n"
     "Silver pieces account for 45 of them, or {x}, the museum said.\n"
     "The coins will go on show in May.\n",
     "two fifths", "about a third"),
    ("number_conflict",
     "Members of the Kelby Allotment Society voted by {x} percent to lease the Quarry Field.\n"
     "The lease starts in April.\n"
     "The motion was carried by 212 votes to 98, the society said.\n",
     "81", "68"),
    ("role_conflict",
     "Head coach Petra Lund said the win was built on defence.\n"
     "The Vipers now lead the table.\n"
     "Lund, the Vipers' {x}, said the squad would rest on Monday.\n",
     "captain", "coach"),
    ("role_conflict",
     "The Harbour Safety Board issued new rules for moorings on Monday.\n"
     "Dara Quinn, treasurer of the Kelby Sailing Club, said members were worried.\n"
     "Quinn, who runs inspections for {x}, said the rules would be enforced from June.\n",
     "the board", "the club"),
    ("role_conflict",
     "The bridge was designed by Morrow Partners, whose chief engineer on the project, Sigrún Ólafsdóttir, "
     "said the deck would open in May.\n"
     "The council paid 12 million crowns.\n"
     "Ólafsdóttir, {x}, said the steel had arrived.\n",
     "the council's finance director", "Morrow Partners' chief engineer"),
    ("role_conflict",
     "The terminal is owned by the Swedish shipping group Arnholt Line.\n"
     "Dockers voted to strike on Friday.\n"
     "Arnholt Line, the {x} group that bought the terminal in 2019, said it would keep talking.\n",
     "Finnish", "Swedish"),
    ("claim_conflict",
     "The council said Kelby library would stay open throughout the six-month refit.\n"
     "Books can be returned at any branch.\n"
     "While the library is {x} for the refit, readers can use the mobile van.\n",
     "closed", "noisy"),
    ("claim_conflict",
     "The cafe reopened on Friday after a deep clean, its owner said.\n"
     "It sells soup and sandwiches.\n"
     "Inspectors said the {x} must remain closed until a second inspection.\n",
     "restaurant", "bakery"),
    ("claim_conflict",
     "The jury took four hours to reach its verdict on Tuesday after a six-day trial.\n"
     "The defendant was cleared of theft.\n"
     "Speaking after the verdict on {x}, his sister said the family was relieved.\n",
     "Monday", "Tuesday"),
    ("claim_conflict",
     "The Hollin Ten-Mile Road Race will, for the first time, start on the seafront this year.\n"
     "About 2,000 runners have entered.\n"
     "The race last {x} on the seafront in 2009, before the promenade was rebuilt.\n",
     "began", "finished"),
    ("claim_conflict",
     "Coastguard officials said no crew member had to be rescued during the storm.\n"
     "Winds reached 90 km/h.\n"
     "{x}, of a deckhand with a broken leg, took two hours because of the swell.\n",
     "The one rescue during the storm", "The one landing during the storm"),
    ("number_conflict",
     "Reported car thefts in Dunmore fell {x} percent last year, police said.\n"
     "The force credited a new patrol scheme.\n"
     "According to the review, officers recorded 450 car thefts in 2023, down from 600 the year before.\n",
     "40", "25"),
    ("number_conflict",
     "Like-for-like sales at the chain fell 3.1 percent in the quarter.\n"
     "The company also closed two depots.\n"
     "An analyst said the {x} percent decline in like-for-like sales was worse than expected.\n",
     "1.3", "3.1"),
    # a list closed by "the remaining" against the whole given before it (in words)
    ("number_conflict",
     "Forty-two nursing posts are vacant across the trust's six hospitals, the board heard.\n"
     "Surgery accounts for 18 of the vacancies, medicine for 11, maternity for 7 and outpatients for the "
     "remaining {x}, according to the trust.\n",
     "4", "6"),
    # a share against a part and whole whose part is written in words
    ("number_conflict",
     "Sixty-four of the 320 bridges inspected in the county need repairs, the survey found.\n"
     "About {x} percent of the bridges checked this spring need work, officials said.\n",
     "30", "20"),
    # "more than" before the next figure does not make a figure an earlier one
    ("number_conflict",
     "Last year the zoo drew {x} visitors, a record for the park.\n"
     "Last year's 74,000 visitors included more than 9,000 schoolchildren, the director said.\n",
     "47,000", "74,000"),
    # a percentage change against two values each dated by its year, told before it
    ("number_conflict",
     "Inspectors recorded 20 signal faults on the line in 2022 and 26 in 2023.\n"
     "The tram company is spending 2 million crowns on new cabling.\n"
     "The union said the figures showed a rise of {x} percent in signal faults in a single year.\n",
     "more than 50", "30"),
    # a planned difference against the planned values
    ("number_conflict",
     "Under the proposal, the typical water bill would rise from $62.40 to $68.90 a quarter.\n"
     "The utility's director said the increase would amount to an extra {x} a quarter for most homes.\n",
     "$5.10", "$6.50"),
    # one contract given two values; a phrase after a singular noun narrows nothing
    ("number_conflict",
     "Halden Civil, which won the $8.4 million contract last month, will start work in June.\n"
     "County commissioners approved the {x} contract on a 5-2 vote in May.\n",
     "$7.9 million", "$8.4 million"),
    # a count called current against the start of "add N, bringing the total to T"
    ("number_conflict",
     "The expansion will add four berths, bringing the total to 11, the port said.\n"
     "Work starts in March.\n"
     "The harbour master said the port's current {x} berths are in use most days.\n",
     "9", "7"),
    # "Of the grant, ...": a whole named, then shared out
    ("number_conflict",
     "A university team has been awarded $1.8 million to study river pollution, the fund said on Monday.\n"
     "Of the grant, $1.1 million is set aside for field equipment, $400,000 for two researchers and {x} "
     "for public data tools.\n",
     "$400,000", "$300,000"),
    # a difference against a before and after that name no counted noun of their own
    ("number_conflict",
     "The club wants to lift capacity at its ground from 6,200 to 8,000, its biggest change since 1990.\n"
     "Adding {x} seats lets it host cup semi-finals, the club said.\n",
     "2,300", "1,800"),
    # an employer after "at contractor ..." against an office of the county
    ("role_conflict",
     "Lena Moravec, the county's chief tunnel inspector, ordered the tunnel closed on Monday.\n"
     "Moravec, who {x}, said repairs would take six weeks.\n",
     "leads the survey team at contractor Brindlewick Works", "has inspected the tunnel since 2019"),
    # one organisation based in two places
    ("role_conflict",
     "Corvell, a Glasgow-based shipping group, has bought the ferry operator for 40 million pounds.\n"
     "Corvell, which is headquartered in {x}, runs 30 vessels.\n",
     "Aberdeen", "Glasgow"),
    # "the additional N" against a before and after of the same measure
    ("number_conflict",
     "Under the approved plan, the landfill will grow from its current 60 hectares to 85 hectares.\n"
     "The operator said the additional {x} hectares would be filled over 20 years.\n",
     "30", "25"),
    # "the hospital's" office is at the hospital the story names first
    ("role_conflict",
     "Kelby General Hospital opened a new stroke unit on Monday.\n"
     "Dr Ilse Marr, the hospital's head of neurology, said the unit would treat 900 patients a year.\n"
     "Marr, who leads the neurology department at {x}, said the unit would share staff with Ardmore.\n",
     "Ardmore University Hospital", "Kelby General Hospital"),
    # "the Danish company" after the one business named before it
    ("role_conflict",
     "Planners approved a bid from Dutch hotel group Vanderhal Hotels on Tuesday, despite objections from "
     "the Kelby Civic Trust.\n"
     "The {x} company, which runs 20 hotels, will spend 8 million pounds on the conversion.\n",
     "Danish", "Dutch"),
    # a quotation owned by a possessive
    ("attribution_conflict",
     "\"A concrete fist over the old town\" was how the Kelby Heritage Society described the tower in its "
     "objection.\nCouncillor Ada Rana voted against the plan. {x} description of the scheme as \"a concrete "
     "fist over the old town\" drew laughter.\n",
     "Rana's memorable", "The society's memorable"),
    # an act and its denial by the same person, with a later act joined by "and"
    ("claim_conflict",
     "Mara Holt conceded on Wednesday morning in a call to Dev Moss, and later thanked supporters online.\n"
     "Holt, reached at home on Wednesday afternoon, said she {x} and was weighing a recount.\n",
     "has not conceded", "had called Moss"),
    # a kind of thing said to number none, counted elsewhere
    ("claim_conflict",
     "The fire chief told councillors the service would not seek any extra firefighters next year.\n"
     "Her budget bid, sent to the mayor last week, asks for {x} to staff the new station.\n",
     "six more firefighters", "six more fire engines"),
    ("claim_conflict",
     "The plans offer 60 flats for sale at a discount but none for social rent, campaigners said.\n"
     "Under the agreement signed with the council, the {x} flats will be let by a housing association.\n",
     "25 social rent", "25 discounted"),
    # one start told by two phrasal verbs ("went live", "went into service") on two dates
    ("claim_conflict",
     "The new tram line went live on Monday, June 3, after a year of delays.\n"
     "Drivers said the line had carried 12,000 riders since it went into service on {x}.\n",
     "May 27", "June 3"),
    # a session held at two named places
    ("claim_conflict",
     "Directors answered questions at a public session held on Thursday in the hall of Kelby Grammar School.\n"
     "About 90 people attended the session, which was held in a side room at {x}.\n",
     "the Kelby Public Library", "Kelby Grammar School"),
    # a state kept over a span against its opposite said of "the building"
    ("claim_conflict",
     "The gallery will stay open throughout the nine-month project, its director said.\n"
     "While the building is {x}, staff will take works to schools.\n",
     "closed", "busy"),
    # a change in the definite subject of a hedged verb is given, and "about" loosens its values only so far
    ("number_conflict",
     "Ridgeview Zoo drew about 410,000 visitors this year, down from 480,000 the year before.\n"
     "The director said the {x} percent drop in visitors would not change plans for a new aviary.\n",
     "25", "15"),
    # "a jump" against what goes "from" one value to another
    ("number_conflict",
     "The new kiln will lift the pottery's yearly output from 8,000 pots to 12,000, the owners said.\n"
     "The owners said the {x} percent jump in output would let them supply two more shops.\n",
     "60", "50"),
    # a run of parts counting one thing inside a longer list, one noun left out ("and Cole Street eight,")
    ("number_conflict",
     "Ashby Library brings 12 librarians to the merger and Cole Street eight, along with 30 volunteers "
     "between them.\nThe merged service's {x} librarians will work across both buildings.\n",
     "21", "20"),
    # a lead over a rival against the rival's own total
    ("number_conflict",
     "The Harriers finished on 61 points, four clear of the Wanderers, after a last-day win.\n"
     "The Wanderers ended the season on {x} points, their best total in a decade.\n",
     "56", "57"),
    # a planned breakdown against the planned total
    ("number_conflict",
     "The clinic expects the new evening sessions to add 900 appointments a year.\n"
     "Its manager said 600 of the new appointments would fall on weekdays and {x} on Saturdays.\n",
     "250", "300"),
    # an amount over a span against its rate
    ("number_conflict",
     "The council approved a four-year, $2.4 million street-cleaning contract on Monday.\n"
     "Under the deal, the council will pay Brightway ${x} a year.\n",
     "700,000", "600,000"),
    # an amount raised against its rate and count
    ("number_conflict",
     "Campers will pay a fee of £3 per person per night from May.\n"
     "The park expects the fee to raise about £{x} a year, based on an estimate of 200,000 camper-nights.\n",
     "900,000", "600,000"),
    # a lowercase title the parser takes for a verb ("warden Ruth Okafor said")
    ("role_conflict",
     "\"We will keep going,\" warden Ruth Okafor said on Monday.\n"
     "The prison opened a new library last month.\n"
     "Okafor, {x}, said she hoped to add evening classes.\n",
     "who chairs the state parole board", "who has run the prison since 2019"),
    # "fire chief" names its field
    ("role_conflict",
     "County fire chief Daniel Osei said crews were stretched.\n"
     "Two stations will close at night from March.\n"
     "Osei, {x}, said the budget left no room for overtime.\n",
     "the county's chief building inspector", "the county's chief fire officer"),
    # money denied ("no county money was used") against an amount of that money
    ("claim_conflict",
     "The new wing cost $2 million, paid for by private donors, and no {x} money was used, officials said.\n"
     "A budget amendment last year set aside $300,000 of county funds toward the wing.\n",
     "county", "state"),
    ("claim_conflict",
     "\"We have not asked for any extra {x},\" the operator's director said.\n"
     "The council will consider the operator's request for an additional £200,000 a year in subsidy next month.\n",
     "subsidy", "staff"),
    # what paid for a project must add up to its cost (see also the test of one sentence below)
    ("number_conflict",
     "Owner Priya Nandi said the £180,000 refit was the biggest step the cafe had taken.\n"
     "The refit was paid for with a £60,000 grant from the county and a £{x} bank loan.\n",
     "100,000", "120,000"),
    # a difference in points written with a hyphen ("a six-point fall")
    ("number_conflict",
     "The share of pupils walking to school slipped from 42 percent in 2019 to 35 percent this year.\n"
     "The head teacher said the {x}-point fall worried governors.\n",
     "five", "seven"),
    # a business a person owns, against another employer
    ("role_conflict",
     "Ines Barros, general manager of Kelham Motors, said sales had doubled.\n"
     "The dealership opened in 1994.\n"
     "Ines Barros, who {x} on the other side of town, said the new showroom would open in May.\n",
     "owns Westgate Tyres", "lives in a flat"),
    # a "first ever ... since it opened in YEAR" against a later one ("the last ..., in YEAR")
    ("claim_conflict",
     "A pair of storks has nested at Ferne Marsh, the first ever nesting at the reserve since it opened in 2004, "
     "wardens said.\nWarden Ola Brandt said storks last nested at the reserve in {x}, before a gale.\n",
     "2015", "1998"),
    # one business owned from two countries
    ("role_conflict",
     "The chargers will be run by Brightcell, a {x}-owned battery company.\nThe site opened in 2011.\n"
     "Brightcell, which was founded in 2009 and remains owned by its Swedish founders, will pay rent to the council.\n",
     "German", "Swedish"),
    # a figure claimed back ("the 25 percent estimate was her own") against its source, "a quarter" being 25 percent
    ("attribution_conflict",
     "A study by the Harlow Transport Unit found that about {x} of commuters would switch to the new tram.\n"
     "The depot opened in May.\n"
     "Planning chief Ana Ruiz said the 25 percent estimate was her own, drawn up before the study.\n",
     "a quarter", "a third"),
    # parts within a bound on their total ("up to 650") hold; beyond it they do not
    ("number_conflict",
     "The new campus will have room for up to {x} students when it opens in September.\n"
     "It will take 480 students in the sixth form and 120 in the foundation year.\n",
     "560", "650"),
]


@pytest.mark.parametrize("kind,text,planted,consistent", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_planted_inconsistency_is_flagged_and_the_consistent_article_is_not(words, kind, text, planted,
                                                                            consistent):
    flags = _flags(text.format(x=planted), words, kind)
    assert len(flags) == 1, [f.message for f in flags]
    # each side is cited: the flag spans two sentences
    assert len({c.start for c in flags[0].citations}) == 2
    assert _flags(text.format(x=consistent), words, kind) == []


def test_targets_and_a_beaten_record_are_not_rival_values(words):
    text = ("Ambulances took an average of 11 minutes to reach the most serious calls in January.\n"
            "Crews waited an average of 52 minutes to hand patients over. The national target is 15 minutes.\n"
            "Fewer than half of stroke patients were reached within the 30-minute target.\n"
            "The 6.8 million cigarettes seized on Friday were the largest haul since 2009, beating a haul of "
            "5.1 million cigarettes found in a container.\n"
            "Officials said the 6.8 million cigarettes would be destroyed.\n")
    assert _flags(text, words, "number_conflict") == []


def test_a_whole_split_to_the_other_part_must_add_up(words):
    text = "Of the council's 52 parks, 30 are north of the river and the other {x} lie to the south.\n"
    flags = _flags(text.format(x=20), words, "number_conflict")
    assert len(flags) == 1 and "add up to 50" in flags[0].message
    assert _flags(text.format(x=22), words, "number_conflict") == []


def test_two_signings_of_different_things_are_two_events(words):
    text = ("The president signed a law on 9 November ratifying the partnership treaty.\n"
            "The treaty was signed in the capital on 19 June by both leaders.\n"
            "Delegates gathered in the capital for the talks in June.\n")
    assert _flags(text, words, "claim_conflict") == []


def test_an_event_moved_to_a_new_date_is_not_dated_two_ways(words):
    text = ("The Kelby Boat Show has been moved from its usual June weekend to August 16-18 after storm damage, "
            "organisers said.\n"
            "\"Moving to August gives the marina time to be repaired,\" the chair said.\n")
    assert _flags(text, words, "claim_conflict") == []


def test_what_paid_for_a_cost_in_its_own_sentence_must_add_up(words):
    text = ("The footbridge cost 2.4 million pounds, paid for with 1.5 million from the town trust and a {x}-pound "
            "grant from the canal charity.\nIt opens on Friday.\n")
    flags = _flags(text.format(x="600,000"), words, "number_conflict")
    assert len(flags) == 1 and "add up to 2,100,000" in flags[0].message
    assert _flags(text.format(x="900,000"), words, "number_conflict") == []
