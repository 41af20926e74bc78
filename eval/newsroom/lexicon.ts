/**
 * Made-up but plausible names: people (first names from many languages, surnames listed or built from
 * syllables), towns, regions, rivers, companies and institutions. Some carry accents and other
 * non-ASCII letters (Müller, Ségolène, Łódź) so that Unicode normalisation matters.
 */
import { chance, pick, type Rng } from './random.js';

const list = (words: string) => words.trim().split(/\s+/);

const FEMALE = list(`
  Anna Maria Sofia Elena Laura Clara Julia Hannah Sarah Emma Olivia Amelia Grace Ruth Helen Catherine
  Fiona Niamh Siobhán Aoife Ségolène Hélène Élodie Chloé Anaïs Maëlle Zoë Renée Inès Lucía Ángela Núria
  Beatriz Joana Inês Małgorzata Agnieszka Zofia Katarzyna Dorota Ewa Jana Petra Lenka Dóra Réka Ingrid
  Astrid Sigrid Liv Freja Annika Birgit Aino Leena Mirela Ivana Maja Teodora Amina Fatima Layla Yasmin
  Nour Zeynep Elif Ayşe Şebnem Priya Ananya Kavita Meera Aiko Yuki Mei Thandiwe Ngozi Amara Chiamaka
  Wanjiru Akosua Adaeze Lucy Rebecca Megan Natalia Irina Oksana Tamar Nino Leila Camila Valentina
  Gabriela Daniela Paula Marta Carmen Rosa Isabel Lorena Giulia Chiara Francesca Bianca Greta Sanne
  Femke Noor Lotte Margit Katalin Eszter Rachel Deborah Joanne Karen Alison Bridget Siân Ffion Mairéad
`);

const MALE = list(`
  James John David Michael Daniel Thomas Peter Paul Mark Simon Andrew Richard Robert Patrick Ciarán
  Seán Declan Eoin Jürgen Björn Søren Jörg Stefan Matthias Lukas Felix Jonas Lars Anders Henrik Mikkel
  Kristian François Stéphane Gaëtan Jérôme Rémi Benoît Loïc Thierry José João Tomás Ramón Iñaki
  Andrés Raúl Sergio Pablo Mateo Diego Luca Marco Giovanni Matteo Alessandro Łukasz Piotr Krzysztof
  Tomasz Paweł Jakub Ondřej Jiří Václav Zoltán Gábor Márton Bence Mehmet Emre Murat Oğuz Ahmed Omar
  Karim Yusuf Hassan Tariq Arjun Rahul Vikram Sanjay Hiroshi Kenji Takumi Wei Jun Chinedu Emeka Kwame
  Kofi Tunde Oluwaseun Themba Sipho Ivan Dmitri Andriy Giorgi Levan Mário André Rui Nuno Hugo Timo
  Mikko Aleksi Jānis Mindaugas Nikolai Dragan Milan Goran Nikola Arne Pieter Joost Bram Gareth Rhys
  Owen Callum Duncan Ewan Alasdair Graham Neil Keith Martin Colin Brian Kevin Adrian Victor Anton
`);

const SURNAMES = list(`
  Müller Nowak Kovač García Okafor Haddad Lindqvist Brennan Dubois Ferreira Novák Sørensen Jiménez
  Özdemir Yıldız Šimić Dvořák Wójcik Kowalczyk Lefèvre Gonçalves Núñez Mäkinen Öberg Håkansson Schäfer
  Weiß Köhler Böhm Horváth Szabó Tóth Nagy Popescu Ionescu Petrović Marković Jovanović Kowalski
  Zieliński Lewandowski Fernández Rodríguez Martínez López Sánchez Pérez Gómez Díaz Moreno Álvarez
  Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Conti Costa Silva Santos
  Oliveira Pereira Carvalho Almeida Ribeiro Rocha Martin Bernard Petit Durand Leroy Moreau Fournier
  Girard Bonnet Mercier Faure Rousseau Blanc Guérin Boyer Chevalier François Legrand Gauthier Perrin
  Janssen Visser Smit Bakker Meijer Mulder Vermeulen Jacobs Peeters Claes Wouters Hansen Johansen
  Nielsen Larsen Andersen Berg Dahl Lund Holm Strand Virtanen Korhonen Nieminen Laine Heikkinen
  Kowalenko Shevchenko Bondarenko Tkachenko Ivanova Petrov Sokolov Volkov Kuznetsov Abubakar Adeyemi
  Mensah Owusu Boateng Mwangi Otieno Kamau Dlamini Nkosi Ndlovu Khumalo Mahlangu Ahmadi Hosseini
  Rahimi Karimi Farouk Mansour Nasser Saleh Khalil Aziz Rahman Chowdhury Hossain Sharma Patel Gupta
  Iyer Nair Reddy Menon Tanaka Suzuki Takahashi Watanabe Yamamoto Nakamura Chen Wang Liu Zhang Huang
  Park Kim Choi Nguyen Tran Pham O'Brien O'Connor Murphy Kelly Walsh Byrne Ryan Doyle Gallagher Quinn
  MacLeod Campbell Fraser Morrison Cameron Hughes Evans Jenkins Pritchard Llewellyn Thomas Ó Súilleabháin
`);

const SURNAME_HEADS = list(`
  Ash Bram Carr Dal Elm Fen Gar Hal Ing Kel Lind Marl North Pen Rad Stan Thorn Wal Wick Brad Hol Mer
  Ross Whit Har Crom Ald Bur Hep Kirk Lang Mos Ock Pem Sel Tal Yar Brock Cald Dun
`);
const SURNAME_TAILS = list(`
  ley ford wood ton by well more field worth ridge stone hurst wick combe dale holt shaw ham ling ett
  ington ard ell son berg mann sted ström ak ovich
`);

export interface PersonName {
  first: string;
  last: string;
  female: boolean;
}

export function surname(rng: Rng): string {
  if (chance(rng, 0.45)) return `${pick(rng, SURNAME_HEADS)}${pick(rng, SURNAME_TAILS)}`;
  return pick(rng, SURNAMES);
}

export function personName(rng: Rng): PersonName {
  const female = chance(rng, 0.5);
  return { first: pick(rng, female ? FEMALE : MALE), last: surname(rng), female };
}

const TOWN_HEADS = list(`
  Var Ost Kel Bel Mar Tor Dun Alt Brun Cal Esk Fal Gor Hav Lun Mor Nor Pell Quin Ros Sal Tam Vel Wes
  Zar Ard Bran Cor Del Ebb Hart Kings Lyn Mill Ness Rother Sand Stow Tre Ux Wend Yarl
`);
const TOWN_TAILS = list(`
  holt haven mouth stad ovo ford bury wick field burg dorf minster port vale ton castle ara ino ava
  ene ley more bridge worth sund ice
`);
/** Real towns with letters beyond ASCII: the corpus's events happen there too. */
const ACCENTED_TOWNS = list(`
  Łódź Kraków Zürich Malmö Göteborg Córdoba Düsseldorf Besançon Reykjavík Tromsø Nîmes Gdańsk Brașov
  Plzeň Győr Jönköping Århus Cádiz Orléans Münster Linköping Mâcon Székesfehérvár Białystok
`);

export function townName(rng: Rng): string {
  if (chance(rng, 0.12)) return pick(rng, ACCENTED_TOWNS);
  const head = pick(rng, TOWN_HEADS);
  let tail = pick(rng, TOWN_TAILS);
  if (head.endsWith(tail[0]!)) tail = pick(rng, TOWN_TAILS);
  const name = `${head}${tail}`;
  return chance(rng, 0.08) ? `${pick(rng, ['Upper', 'Lower', 'New', 'Port', 'East', 'West'])} ${name}` : name;
}

const REGION_HEADS = list('Kess Aldr Vorn Mir Tal Sen Orv Bal Carr Lys Dren Harr Eld Marr Stry Wyn Oss Tev');
const REGION_TAILS = list('a ia mark land shire ovia ena avia ora');

/** A region name that reads after "in": "Kessa province", "the Aldria region", "Vornmark County". */
export function regionName(rng: Rng): { name: string; phrase: string } {
  const name = `${pick(rng, REGION_HEADS)}${pick(rng, REGION_TAILS)}`;
  const phrase = pick(rng, [`${name} province`, `the ${name} region`, `${name} County`, `${name}`]);
  return { name, phrase };
}

const RIVER_NAMES = list(
  'Elsin Tawe Marrow Oste Vey Lune Carra Dove Senn Alde Brenna Kell Ouse Tarn Wenning',
);

export function riverName(rng: Rng): string {
  return chance(rng, 0.5) ? `the River ${pick(rng, RIVER_NAMES)}` : `the ${pick(rng, RIVER_NAMES)}`;
}

const BRAND_HEADS = list(
  'Corv Mar Tess Halv Bright Nord Aster Vel Sol Kest Lum Orb Tri Zen Cal Verd Hex Quar',
);
const BRAND_TAILS = list('el esco aro ard ex on ia ix wave ford line gate ora is um');
const INDUSTRIES = list(
  'Energy Rail Foods Group Holdings Logistics Pharma Motors Telecom Retail Mining Insurance',
);

export function brand(rng: Rng): string {
  return `${pick(rng, BRAND_HEADS)}${pick(rng, BRAND_TAILS)}`;
}

/** A company: "Corvel Energy", "Marlow & Finch", "Tessaro Foods plc". */
export function companyName(rng: Rng): string {
  if (chance(rng, 0.15)) return `${surname(rng)} & ${surname(rng)}`;
  const name = `${brand(rng)} ${pick(rng, INDUSTRIES)}`;
  return chance(rng, 0.2) ? `${name} ${pick(rng, ['plc', 'AG', 'SA', 'Ltd', 'Inc'])}` : name;
}

export const MINISTRIES = list('Health Transport Finance Interior Education Environment Defence Agriculture')
  .concat(list('Energy Justice Labour Housing'))
  .map((area) => `the Ministry of ${area}`);

/** News agencies and broadcasters that quotes are given to ("told the Meridian news agency"). */
export const NEWS_AGENCIES = list(
  'Meridian Northstar Continental Pressline Telegraph Compass Lodestar Beacon Keystone',
)
  .flatMap((name) => [`the ${name} news agency`, `${name}`, `${name} Radio`])
  .concat(['local radio', 'reporters', 'a news conference', 'state television', 'the regional broadcaster']);

export const WEEKDAYS = list('Sunday Monday Tuesday Wednesday Thursday Friday Saturday');
export const MONTHS = list(
  'January February March April May June July August September October November December',
);

const SMALL = list('one two three four five six seven eight nine');

/** A count in news style: words under ten, digits with thousands separators above. */
export function count(n: number): string {
  if (n >= 1 && n <= 9) return SMALL[n - 1]!;
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function money(rng: Rng, currency: string, min: number, max: number): string {
  const value = min * (max / min) ** rng();
  if (value >= 1e9) return `${currency}${(value / 1e9).toFixed(1)} billion`;
  if (value >= 1e6) return `${currency}${(value / 1e6).toFixed(1)} million`;
  return `${currency}${count(Math.round(value / 1000) * 1000)}`;
}

/** A clock time written one of the ways newsrooms write it. */
export function clockTime(rng: Rng, style: number): string {
  const h = 6 + Math.floor(rng() * 16);
  const m = pick(rng, ['00', '15', '20', '30', '40', '45', '05', '50']);
  if (style === 0) return `${h}:${m}`;
  const h12 = h > 12 ? h - 12 : h;
  return `${h12}.${m}${h >= 12 ? 'pm' : 'am'}`;
}

/** Slug of a headline or a name for file paths: lower case ASCII words joined by hyphens. */
export function slugify(text: string, maxWords = 8): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, maxWords)
    .join('-');
}
