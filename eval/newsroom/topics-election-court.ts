/** Topics: elections and court cases. */
import { count, personName } from './lexicon.js';
import { int, pick } from './random.js';
import { defineTopic } from './topic.js';

export const ELECTION = defineTopic({
  name: 'election',
  setup(rng, base) {
    const parties = [
      'the Progressive Alliance',
      'the Civic Union',
      'the People’s Renewal party',
      'the Green Coalition',
      'the National Liberal party',
      'the Social Forum',
      'the Farmers’ League',
    ];
    const winner = pick(rng, parties);
    let loser = pick(rng, parties);
    while (loser === winner) loser = pick(rng, parties);
    const share = int(rng, 31, 54);
    const region = base.value('region_name', rng);
    const cap = (party: string) => party.replace(/^the/, 'The');
    return {
      winner,
      ministry: 'the Ministry of the Interior',
      loser,
      winner_cap: cap(winner),
      loser_cap: cap(loser),
      contest: pick(rng, ['mayoral election', 'regional election', 'by-election', 'parliamentary election']),
      authority: pick(rng, ['the electoral commission', `the ${region} election board`]),
      share: `${share} per cent`,
      loser_share: `${share - int(rng, 2, 15)} per cent`,
      turnout: `${int(rng, 38, 79)} per cent`,
      seats: count(int(rng, 11, 95)),
      n: count(int(rng, 20, 900) * 1000),
      stations: count(int(rng, 40, 900)),
    };
  },
  roles: {
    official: ['the candidate for {winner}', 'the leader of {winner}', 'the newly elected mayor of {city}'],
    spokes: ['a spokesperson for {authority}', 'the returning officer in {city}'],
    expert: ['a political scientist at {uni}', 'a pollster at {brand} Research'],
    witness: [
      'a voter in {city}',
      'a first-time voter from {town2}',
      'who runs a bakery near the polling station',
    ],
    rival: ['the leader of {loser}', "{loser}'s candidate"],
    responder: ['the chief election observer', 'the head of the election monitoring mission'],
  },
  vary: {
    crisis: ['the election', 'the vote', 'the count', 'the result'],
    affected: ['voters', 'supporters', 'party members'],
    context: [
      'falling trust in mainstream parties',
      'a cost-of-living squeeze that dominated the campaign',
      'disputes over the conduct of the count',
    ],
    accusation: ['misleading voters', 'running a campaign of fear'],
    demand: ['a recount in several districts', 'an inquiry into the conduct of the count'],
    priority: ['making sure every vote is counted', 'respecting the result'],
  },
  headlines: [
    '{winner_cap} [wins|claims victory in] {contest} in {city}',
    '{loser_cap} [concedes|admits defeat] after [bruising|close] {contest}',
    '[Turnout|Voter turnout] [falls|rises] to {turnout} in {region} {contest}',
    '[Recount|Challenge] [ordered|demanded] after [knife-edge|narrow] {contest} in {city}',
    '[Counting|The count] [continues|goes on] in {city} as {winner} [claims|celebrates] [victory|win]',
  ],
  leads: [
    '{winner_cap} won the {contest} in {city} {when} with {share} of the vote, [according to {authority}|official results showed].',
    '[Voters|Residents] in {region} [handed|gave] {winner} victory in a {contest} {when} [seen as|widely seen as] a test of [the government’s popularity|its record].',
    '{loser_cap} conceded defeat in the {contest} {when} after winning {loser_share} of the vote, [well behind|short of] {winner}.',
    'Turnout in the {contest} [was|reached] {turnout}, {authority} said {when}, [the lowest|the highest] since {pastyear}.',
  ],
  facts: [
    '{winner_cap} [took|won] {seats} seats, [enough to govern alone|short of an outright majority], [the results showed|according to the results].',
    '{loser_cap} [won|took] {loser_share} of the vote, [down from|well below] its result in {pastyear2}.',
    '[About|Some] {n} people [voted|cast ballots], [in|across] [more than|about] {stations} polling stations.',
    '[Polls|Polling stations] [closed|opened] at {time} and counting [began|started] [shortly afterwards|immediately].',
    '[Observers|International observers] said the vote was [largely orderly|generally well run] [despite|although there were] [long queues|reports of irregularities] in [some|a few] districts.',
    'The campaign was dominated by [housing|living costs|public transport|health care] [and|as well as] [crime|jobs].',
    '[Queues|Long lines] [formed|built up] [outside|at] polling stations in {city} [before they opened|in the early evening], [officials|election staff] said.',
    '{winner_cap} [campaigned|ran] on [promises|a pledge] to [cut|freeze] [local taxes|rents] and [build|expand] [public transport|housing].',
    '[Exit polls|A late poll] had [suggested|pointed to] a [narrower|closer] [race|result] than [the final count|the official figures] showed.',
    '[Young voters|First-time voters] [turned out|voted] in [larger|greater] numbers than [in {pastyear2}|at the last election], [according to|analysis by] [pollsters|{uni}].',
    '[Counting|The count] [was|had been] [delayed|held up] [for about two hours|briefly] in [one|a] district [after|because of] a [dispute|row] over [spoilt|postal] ballots.',
    '[Several|A number of] [smaller|minor] parties [failed to win|did not win] [a seat|any seats], [including|among them] {loser} in [two|three] districts.',
  ],
  claims: [
    'the result [was|is] a clear [mandate|signal] for change',
    'the party would [challenge|contest] the result in [several|two] districts',
    'turnout [had been|was] [lower|higher] than expected [in rural areas|among young voters]',
    'coalition talks could [begin|start] as early as {nextday}',
    '[postal votes|ballots cast abroad] [were still being|had yet to be] counted',
    'the margin [was|had been] [fewer than|about] {n3} votes in [one|the closest] district',
    '{winner} [would|had promised to] [form|lead] [a coalition|an administration] [within weeks|before the summer]',
    'the [result|outcome] [reflected|showed] [deep|growing] [frustration|anger] [over|with] [living costs|housing]',
    '[young|first-time] voters had [backed|favoured] {winner} [by a wide margin|more than any other party]',
    'the [turnout|participation] figure [was|had been] [disappointing|lower than hoped] [in|across] [rural|outlying] districts',
    '[complaints|objections] [about|over] the count [would be|were being] [examined|looked at] [by|with] {authority}',
  ],
  quotes: [
    'O:Tonight the people of {city} have [chosen|voted for] change and I [will not|do not intend to] let them down',
    'O:Every vote will be counted and [the result|every result] will be [checked|verified] [twice|before it is declared]',
    'E:This was [a protest vote|a vote against the status quo] [more than anything|above all]',
    'E:The [big|real] story [of the night|here] is [turnout|who stayed at home]',
    'W:I voted [for the first time|as I always do] because [rents|bills] here are [out of control|too high]',
    'R:We [fought|ran] a [positive|clean] campaign and I [congratulate|accept the result and congratulate] [the winner|my opponent]',
    'R:[This is not the result we wanted|We are disappointed], but we [will be back|will listen and learn]',
    'O:[My first job|The first thing I will do] [is to|will be to] [bring people together|listen to those who did not vote for us]',
    'O:[This|The] [result|victory] [belongs to|is for] [every volunteer|everyone] who [knocked on doors|believed in us]',
    'W:[I|We] [just want|want] someone who [will|can] [fix the roads|sort out the buses|bring down rents]',
    'R:[The voters|People] have [spoken|sent a message] and we [must|will] [listen|reflect on it] [carefully|humbly]',
    'E:[Turnout|Participation] [this low|at this level] [should|must] [worry|concern] [every party|all of them]',
  ],
  background: [
    '{winner_cap} had been in opposition in {region} since {pastyear2}, when it [lost power in a landslide|narrowly lost its majority].',
    'The {contest} was called [early|after the resignation of the previous incumbent] [over|following] [a corruption inquiry|a row over the budget].',
    'Turnout in {region} has [fallen|been falling] at [every election|each of the last three votes], [mirroring|in line with] a [national|wider] trend.',
  ],
  next: [
    'The [final|official] result is expected [on {nextday}|later this week] once postal votes are counted.',
    '[The new council|The winner] [will be sworn in|takes office] [next month|within two weeks].',
  ],
  subheads: ['The results', 'A test for the government', 'Low turnout', 'What comes next'],
});

export const COURT = defineTopic({
  name: 'court',
  variants: ['guilty', 'acquitted', 'opening'],
  setup(rng, base) {
    const defendant = personName(rng);
    const charge = pick(rng, [
      ['fraud', 'defrauding investors of {money}'],
      ['bribery', 'accepting bribes in exchange for building permits'],
      ['manslaughter', 'causing the death of a worker at a building site'],
      ['embezzlement', 'diverting public funds to a private company'],
      ['money laundering', 'laundering {money} through property deals'],
    ] as const);
    return {
      defendant: `${defendant.first} ${defendant.last}`,
      defendant_last: defendant.last,
      dpro: defendant.female ? 'she' : 'he',
      dpos: defendant.female ? 'her' : 'his',
      ministry: 'the Ministry of Justice',
      defendant_age: String(int(rng, 34, 71)),
      charge: charge[0],
      charge_detail: charge[1],
      court: pick(rng, [
        `${base.value('city', rng)} Crown Court`,
        `the ${base.value('region_name', rng)} High Court`,
        `the district court in ${base.value('city', rng)}`,
      ]),
      authority: 'the prosecution service',
      sentence: pick(rng, [
        'four years',
        'six years',
        'eighteen months',
        'a suspended sentence of two years',
        'seven years',
      ]),
      n: count(int(rng, 3, 60)),
      weeks: count(int(rng, 2, 14)),
    };
  },
  roles: {
    official: ['the presiding judge', 'the judge', 'the chief prosecutor'],
    spokes: ['a spokesperson for the prosecution service', 'a spokeswoman for the court'],
    expert: [
      'a law professor at {uni}',
      'a former judge',
      'a criminal defence lawyer not involved in the case',
    ],
    witness: [
      'a former employee who gave evidence',
      'a local resident who attended the hearing',
      'who lost her savings in the scheme',
    ],
    rival: ["{defendant_last}'s lawyer", 'the lead defence counsel'],
    responder: ['the lead investigator', 'the head of the anti-corruption unit'],
  },
  vary: {
    crisis: ['the case', 'the trial', 'the verdict', 'the ruling'],
    affected: ['victims', 'investors', 'former employees'],
    context: [
      'a broader crackdown on corruption in local government',
      'criticism of the time the case took to reach court',
    ],
    accusation: ['leaking details of the case to the press', 'dragging out the proceedings'],
    demand: ['a retrial', 'compensation for the victims'],
    priority: ['that justice is done', 'a fair trial'],
  },
  headlines: [
    '@guilty {defendant} [found guilty of|convicted of] {charge} [after {weeks}-week trial|in {city}]',
    '@guilty [Former official|Businessman] {defendant_last} [jailed|sentenced to {sentence}] for {charge}',
    '@acquitted {defendant} [cleared of|acquitted of] {charge} [by jury|in landmark case]',
    '@opening [Trial|Case] of {defendant} [opens|begins] in {city} [amid protests|under tight security]',
    '@opening Judge [rejects|throws out] {defendant_last} bid to halt trial over {charge}',
    '@opening {defendant_last} tells court {dpro} [was|had been] [acting on orders|unaware of the payments]',
  ],
  leads: [
    '@guilty {defendant} was found guilty of {charge} {when} at {court}, [after|following] a trial lasting {weeks} weeks.',
    '@acquitted {defendant} was cleared of {charge} {when} at {court}, [after|following] a trial lasting {weeks} weeks.',
    '@acquitted A jury in {city} acquitted {defendant} {when} of {charge_detail}, [ending|bringing to an end] a case that began in {pastyear2}.',
    '@guilty A court in {city} sentenced {defendant} to {sentence} {when} for {charge_detail}.',
    '@opening The trial of {defendant}, who is accused of {charge_detail}, [opened|began] at {court} {when}.',
    '@opening Prosecutors told {court} {when} that {defendant} was responsible for {charge_detail}.',
  ],
  facts: [
    '@guilty {defendant_last} had denied all the charges and {dpos} lawyers said [they would appeal|an appeal was being considered].',
    'The jury heard evidence from {n} witnesses [over|during] {weeks} weeks.',
    '[Prosecutors|The prosecution] said {dpro} [used|had used] [a network of shell companies|false invoices] to hide the payments.',
    '@acquitted The judge said the prosecution had [failed to prove|not proved] that {defendant_last} knew about the payments.',
    '@acquitted {defendant_last} [embraced|hugged] [family members|supporters] [in the public gallery|outside the court] after the verdict.',
    '@guilty The judge [said|told the court] the offences [were|had been] [a serious breach of trust|carefully planned].',
    '@guilty,acquitted {defendant_last} [showed no emotion|looked down] as the verdict was read [out|].',
    '[Dozens of|Several] [protesters|supporters] [gathered|waited] outside the court [from early morning|during the hearing].',
    'The case was [brought|built] [after|following] a {pastyear2} audit [of|into] [the council’s accounts|the company’s books].',
    '[The|A] [jury|court] [was|had been] shown [bank records|emails|invoices] [covering|from] [several|four] years, [prosecutors|the prosecution] said.',
    'A former [colleague|business partner] [told|testified to] the court that {defendant_last} [had|personally] [approved|signed off] [the payments|the contracts].',
    '{defendant_last}, {defendant_age}, [sat|stood] [in the dock|beside {dpos} lawyers] [throughout the hearing|as the charges were read].',
    'Security [outside|around] {court} [was|had been] [tightened|stepped up] [before|ahead of] the [hearing|verdict].',
    'The [case|trial] [was|had been] [adjourned|delayed] [twice|several times] [last year|since {pastyear2}] [over|because of] [{dpos} health|procedural disputes].',
    'Investigators [seized|recovered] [documents|computers] [and|as well as] [a car|cash] [during|in] [raids|a search] [in {city}|on {dpos} home] in {pastyear2}.',
  ],
  claims: [
    '@guilty {defendant_last} [would lodge|had lodged] an appeal [within days|within the legal deadline]',
    'the [evidence|case] against {defendant_last} was [overwhelming|largely circumstantial]',
    'the money had [never|not] been [recovered|traced]',
    'at least {n} people had lost money [in|because of] the scheme',
    'the investigation had taken [nearly three years|longer than expected] because of the number of documents',
    '@guilty,acquitted the verdict [sent|would send] a clear message to anyone [in public office|handling public money]',
    '{defendant_last} [had|has] [always|consistently] denied [wrongdoing|the allegations]',
    'the [case|prosecution] [relied|depended] [heavily|largely] on [documents|testimony] from [former employees|a whistleblower]',
    'the [hearing|trial] [was|had been] [closely watched|followed] [across|in] {region}',
    '[two|several] [other|further] [people|officials] [were|are] [under investigation|being investigated] in [connection with|relation to] the case',
    'the [court|judge] [would|could] [rule on|decide] [costs|compensation] [at a later date|at a separate hearing]',
  ],
  quotes: [
    'O:Nobody is above the law, [however powerful they are|whatever position they hold]',
    '@guilty,acquitted O:The court has [heard|listened to] all the evidence and [reached|come to] its decision',
    'E:This case shows [how|that] [corruption|fraud] [damages|costs] [ordinary people|all of us]',
    'E:[Cases like this|Such cases] are [hard to prove|notoriously difficult to bring] and [the verdict|this result] will [be studied closely|set a precedent]',
    'W:I [lost|put in] [my savings|everything I had] and [nobody|no one] has ever apologised',
    '@guilty,opening R:My client has always [maintained {dpos} innocence|said {dpro} did nothing wrong] and we will [appeal|fight this]',
    'O:[The evidence|The case] [put before the court|presented] [was|has been] [examined|tested] [in detail|thoroughly]',
    'O:[We|Prosecutors] [will|intend to] [study|read] the [judgment|ruling] [carefully|closely] before [deciding|commenting] [further|on next steps]',
    'W:[I|We] [just want|only want] [the truth|our money back] [and|and for] [someone|somebody] to [take responsibility|say sorry]',
    'R:[Today is a difficult day for my client|This is not the end of the matter] and [we|he] [will|intends to] [consider all options|fight on]',
    'E:[Juries|Courts] [often|sometimes] [struggle|find it hard] [with|to follow] [complex|financial] [evidence|cases] [like this|of this kind]',
  ],
  background: [
    '{defendant_last} [was arrested|was first questioned] in {pastyear2} [after|when] [a whistleblower|an auditor] [raised concerns|reported irregularities].',
    'The case is one of [several|the biggest] [brought|heard] [in {region}|in recent years] [under|since] [new anti-corruption laws|a reform of the prosecution service].',
  ],
  next: [
    '@guilty [Sentencing|A sentencing hearing] is [set|scheduled] for {nextday}.',
    '@guilty The defence has {weeks} weeks to [lodge|file] an appeal.',
    '@opening,acquitted [The trial is expected to last|Closing arguments are due in] {weeks} weeks.',
  ],
  subheads: ['The verdict', 'Evidence in court', 'A long investigation', 'Reaction'],
});
