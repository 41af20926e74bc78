/** Topics: local planning rows and research findings. */
import { brand, count, money } from './lexicon.js';
import { int, pick } from './random.js';
import { defineTopic } from './topic.js';

export const COUNCIL = defineTopic({
  name: 'council',
  variants: ['approved', 'delayed'],
  setup(rng) {
    const currency = pick(rng, ['£', '€', '$']);
    const project = pick(rng, [
      ['housing scheme', 'homes'],
      ['bridge', 'crossing'],
      ['tram line', 'line'],
      ['incinerator', 'plant'],
      ['stadium', 'ground'],
    ] as const);
    return {
      project: project[0],
      ministry: 'the Ministry of Housing',
      thing: project[1],
      scheme: `the ${brand(rng)} ${project[0]}`,
      units: count(int(rng, 80, 2400)),
      cost: money(rng, currency, 15e6, 900e6),
      cost2: money(rng, currency, 5e6, 14e6),
      votes_for: count(int(rng, 20, 40)),
      votes_against: count(int(rng, 5, 19)),
      authority: 'the city council',
      n: count(int(rng, 200, 9000)),
    };
  },
  roles: {
    official: ['the mayor of {city}', 'the council leader', 'the council’s planning chief'],
    spokes: ['a spokesperson for the city council', 'a spokesman for the developer'],
    expert: ['an urban planner at {uni}', 'a housing economist', 'a transport planner'],
    witness: [
      'who has lived on the street for 30 years',
      'a member of the residents’ association',
      'a local shop owner',
    ],
    rival: ['the leader of the opposition group on the council', 'the chair of the residents’ association'],
    responder: ['the chief executive of the developer', 'the project director'],
  },
  vary: {
    crisis: ['the plan', 'the scheme', 'the decision', 'the vote', 'the project'],
    affected: ['residents', 'neighbours', 'local businesses'],
    context: [
      'a shortage of affordable homes in the city',
      'rising construction costs',
      'a long-running row over the council’s finances',
    ],
    accusation: ['ignoring the views of residents', 'handing public land to developers on the cheap'],
    demand: ['a public consultation', 'a referendum on the project'],
    priority: ['getting homes built for people who need them', 'making sure the city can afford it'],
  },
  headlines: [
    '@approved Council [approves|backs] {cost} {project} in {city}',
    '[Residents|Campaigners] [lose fight against|vow to fight] {city} {project}',
    '@delayed {city} {project} [delayed|on hold] [as costs rise to|after costs hit] {cost}',
    '[Row|Anger] over plan for {units} [homes|flats] on {city} [green belt|riverside]',
    '@approved Councillors vote {votes_for} to {votes_against} [for|in favour of] {scheme}',
  ],
  leads: [
    '@approved Councillors in {city} [approved|voted through] {scheme} {when}, [clearing the way|paving the way] for [construction|work] to begin [next year|in the spring].',
    '@delayed Plans for {scheme} in {city} were [put on hold|delayed] after [its|the] estimated cost rose to {cost}, the council said {when}.',
    '[Hundreds of|Dozens of] residents [protested|gathered] outside {city} town hall {when} [against|to oppose] plans for {scheme}.',
  ],
  facts: [
    '@approved The council voted {votes_for} to {votes_against} [in favour of the plan|to approve the scheme] [after a four-hour debate|after a heated debate].',
    'The scheme [includes|would provide] {units} [homes|flats][, a third of them affordable| and a new primary school|].',
    '@delayed The estimated cost [has risen|rose] from [an initial|the original] [figure|estimate] of {cost2} to {cost}.',
    '[A petition against|An objection to] the plan [gathered|was signed by] [more than|nearly] {n} people.',
    '[Work|Construction] [is expected to|would] take [three|four|five] years.',
    '[The|A] [public gallery|council chamber] [was|had been] [full|packed] [for|during] the [debate|meeting], [with|and] [dozens of|some] [people|residents] [standing|outside].',
    'The [developer|council] [said|says] the {project} [will|would] [create|support] [about|up to] {n3} [jobs|construction jobs] [during|while] [building|construction].',
    '[A|The] [planning inspector|council’s own advisers] [raised|had raised] [concerns|questions] about [traffic|flood risk|the height of the buildings] [last year|in {pastyear2}].',
    'Under the [plan|scheme], [about|roughly] {pct} of the [homes|flats] [would be|are to be] [offered|let] at [below-market|social] rents.',
    '[Campaigners|Opponents] [delivered|handed in] a [petition|letter] [to|at] the town hall [on {prevday}|before the vote].',
  ],
  claims: [
    'the {project} [was|is] [essential|vital] for the [city’s future|growth of {city}]',
    'the consultation [had been|was] [rushed|inadequate]',
    'the [costs|budget] [would be|had been] [checked|reviewed] [independently|by auditors]',
    'the site [had flooded|floods] [several times|regularly] [in recent years|since {pastyear}]',
    'more than {n} people had [responded to|taken part in] the consultation',
    'the [council|city] [could not|would not be able to] [afford|fund] the {project} [without|unless it received] [government money|outside funding]',
    'the {project} [would|will] [take|need] [at least|about] [three|four] years to [build|complete]',
    '[residents|objectors] [had|were] [not|never] [properly|fully] consulted',
    'the [vote|decision] [could be|might be] [challenged|reviewed] in court',
    'the [site|land] [was|is] [owned|controlled] by the council [and|but] [had been|was] [empty|unused] for years',
  ],
  quotes: [
    '@approved O:This city has needed [homes|this] for [a generation|decades] and today we [finally made a start|delivered]',
    'O:Every [pound|penny] will be [accounted for|checked] and the [figures|accounts] will be [published|public]',
    'E:[Schemes|Projects] of this size [almost always|nearly always] cost more than [the first estimate|planned]',
    'W:Nobody [asked|listened to] us and now [they|the council] [want|expects] us to [live next to|pay for] it',
    'R:We are not against [development|new homes], we are against [this|the wrong] scheme in [this|the wrong] place',
    "O:[The scheme|This plan] [has been|was] [changed|improved] [many times|again and again] [in response to|after] [residents'|local] [views|concerns]",
    'O:[We|The council] [cannot|could not] [let|allow] [the site|that land] [sit|stand] [empty|derelict] for another [decade|twenty years]',
    'W:[My|Our] [children|grandchildren] [cannot afford|will never afford] to [live|rent] in this [city|town] [unless|if we do not build] [more homes|something]',
    'R:[This|The] [council|decision] [puts|has put] [developers|profit] [before|ahead of] [people|residents]',
    'E:[Cities|Councils] [everywhere|across Europe] [face|have] the [same|same difficult] [choice|trade-off] between [growth|building] and [green space|opposition]',
  ],
  background: [
    'The site has been [empty|derelict] since {pastyear}, when [a factory|the old gasworks] [closed|was demolished].',
    '{city} has [one of the longest waiting lists|a growing waiting list] for [social housing|council homes] in {region}, with [about|more than] {n} households [waiting|on it].',
  ],
  next: [
    '@approved Opponents have six weeks to [lodge|file] a legal challenge.',
    '@delayed [A revised plan|New cost estimates] will be [presented|put] to councillors [next month|in the autumn].',
    'The scheme [still needs|must receive] approval from {ministry}.',
  ],
  subheads: ['The vote', 'Residents’ objections', 'Rising costs', 'What happens next'],
});

export const RESEARCH = defineTopic({
  name: 'research',
  setup(rng) {
    const field = pick(rng, [
      ['bees', 'pesticide use'],
      ['coral reefs', 'ocean warming'],
      ['songbirds', 'light pollution'],
      ['river insects', 'microplastic pollution'],
      ['amphibians', 'a fungal disease'],
    ] as const);
    return {
      subject: field[0],
      ministry: 'the Ministry of Environment',
      factor: field[1],
      journal: pick(rng, [
        'Nature Ecology',
        'the Lancet',
        'Science Advances',
        'PLOS One',
        'the Journal of Applied Ecology',
      ]),
      pct: `${int(rng, 12, 70)} per cent`,
      n: count(int(rng, 30, 4000)),
      years: count(int(rng, 3, 25)),
      authority: '{uni}',
    };
  },
  roles: {
    official: ['the lead author of the study', 'the study’s senior author', 'who led the research'],
    spokes: ['a spokesperson for {uni}', 'a spokeswoman for the funding council'],
    expert: [
      'who was not involved in the research',
      'an independent scientist at {brand} Institute',
      'a researcher at {uni}',
    ],
    witness: [
      'a beekeeper in {region}',
      'a diver who has watched the reef for years',
      'a parent who took part in the study',
    ],
    rival: ['an industry spokesman', 'a critic of the study’s methods'],
    responder: ['a co-author of the study', 'a data scientist on the team'],
  },
  vary: {
    crisis: ['the study', 'the findings', 'the research', 'the paper'],
    affected: ['scientists', 'campaigners', 'regulators'],
    context: ['growing concern about the effects of {factor}', 'a debate over new rules on {factor}'],
    accusation: ['overstating the risks', 'ignoring other possible causes'],
    demand: ['stricter limits on {factor}', 'more funding for long-term monitoring'],
    priority: ['getting good data', 'understanding the causes'],
  },
  headlines: [
    '{factor_cap} [linked to|blamed for] [sharp|steep] decline in {subject}, study finds',
    '[Study|Research] [links|ties] {factor} to [decline in|harm to] {subject} [over {years} years|]',
    'Scientists [warn|sound alarm] over {subject} [after|as] {pct} [drop|fall] recorded',
    '{subject_cap} [recover|bounce back] where {factor} is [reduced|limited], researchers say',
  ],
  leads: [
    '{factor_cap} [may be|is] [responsible for|driving] a {pct} decline in {subject} [over|in] the past {years} years, according to a study published {when} in {journal}.',
    'Researchers at {uni} [tracked|studied] {n} [sites|samples|participants] over {years} years and found {claim}.',
    'A [new|large] study [has found|suggests] that the effect of {factor} on {subject} is [far greater|greater] than [previously thought|regulators assume].',
  ],
  facts: [
    'The study, published in {journal}, [followed|analysed] {n} [sites|samples|participants] [across {region}|in {years} countries].',
    'Where {factor} was [lowest|reduced], the decline in {subject} was [about half as large|much smaller], the researchers found.',
    'The [team|researchers] [used|combined] [field surveys|satellite data|laboratory tests] [with|and] [long-term records|computer models].',
    'The research was funded by [the national science council|a charitable foundation|{uni}].',
    '[The authors|The researchers] [cautioned|noted] that the study [shows|showed] [a link|an association] [rather than|not] [cause and effect|proof of cause].',
    'The [researchers|team] [compared|looked at] [sites|areas] [with|where] [high|low] levels of {factor} [over|across] {years} years.',
    '[Funding|Money] for the [study|work] [came from|was provided by] [the national science council|a European research programme|{uni}].',
    'The [paper|study] [was|has been] [peer-reviewed|reviewed by independent scientists] [before|ahead of] publication.',
    '[Data|Records] [were|had been] [gathered|collected] [by|with the help of] [volunteers|amateur naturalists|local schools] [across|in] {region}.',
    '[Earlier|Previous] [studies|research] [had|has] [suggested|pointed to] [a link|an effect], but [were|was] [smaller|shorter].',
  ],
  claims: [
    '{subject} had declined by {pct} [at the most affected sites|over the study period]',
    'the effect [was strongest|appeared strongest] [in|during] [hot summers|the first years]',
    'the findings [should|ought to] [inform|shape] [new rules|policy] on {factor}',
    'more research [was needed before firm conclusions could be drawn|is needed to confirm the link]',
    'the results [matched|were consistent with] [earlier|smaller] studies',
    'the [decline|effect] [was|had been] [largest|strongest] [near|in] [cities|farmland]',
    'the [findings|results] [did not|could not] [rule out|exclude] [other|additional] [causes|factors]',
    '[policy makers|regulators] [should take notice|ought to give the results careful attention]',
    'the [data|samples] [would|will] be [made|published] [publicly available|open to other researchers]',
    '{subject} [could|might] [recover|bounce back] [if|when] {factor} was reduced',
  ],
  quotes: [
    'O:We [were surprised by|had not expected] how [strong|consistent] the [effect|signal] [was|would be]',
    'O:The data [are|is] [clear|telling us something], and [we should|regulators should] [act on it|listen]',
    'E:This is [a careful|an important] study, but [one study|a single paper] [does not|cannot] settle the question',
    'W:I have [seen|watched] [it|the change] [with my own eyes|year after year] [for|over] [a decade|twenty years]',
    'R:The [study|paper] [does not|fails to] [account for|rule out] [other causes|the weather]',
    'O:[Our|The] [results|data] [point|are pointing] [clearly|in one direction], [but|and] [more|further] [work|monitoring] is [needed|required]',
    'O:[We|Our team] [spent|took] {years} years [collecting|gathering] [samples|data] [in all weathers|across the region]',
    'W:[We|I] [used to see|saw] [them|far more of them] [every summer|all the time] and now [they are|it is] [rare|hard to find]',
    'R:[Correlation|A link] [is not|does not prove] [causation|cause], and [this paper|the study] [overstates|exaggerates] [its case|what it shows]',
    'E:[Findings|Results] [like these|of this kind] [need to be repeated|should be replicated] [elsewhere|in other places] [before|ahead of] [policy changes|new rules]',
  ],
  background: [
    '{subject_cap} play a [vital|key] role in [ecosystems|food production|public health], and [declines|changes] have been [reported|recorded] [worldwide|across Europe] since [the 1990s|{pastyear}].',
    'Rules on {factor} were [tightened|relaxed] in {pastyear2} [after|despite] [a campaign|lobbying] by [environmental groups|industry].',
  ],
  next: [
    'The team [plans|hopes] to [extend|repeat] the study [to other regions|over a longer period].',
    '{ministry} said it would [study|consider] the findings [carefully|before its review next year].',
  ],
  subheads: ['What the study found', 'Cause and effect', 'Calls for action', 'How it was done'],
});
