import type { DemoRandom } from "./demo-random.ts";
import {
  CN_CITIES, CN_COMPANY_SUFFIXES, CN_COMPANY_TRADES, CN_COMPANY_WORDS, CN_GIVEN_NAMES, CN_STREETS, CN_SURNAMES,
  EN_COMPANY_NOUNS, EN_COMPANY_PREFIXES, EN_COMPANY_SUFFIXES, EN_COMPANY_TRADES, EN_FIRST_NAMES, EN_LAST_NAMES,
  EN_STREETS, US_CITIES, type City,
} from "./demo-words.ts";

export interface DemoPerson {
  firstName: string;
  lastName: string;
  /** Local part of an email address, ASCII. */
  emailLocal: string;
}

export interface DemoCompany {
  name: string;
  domain: string;
  chinese: boolean;
  /** Industry option key matching the trade in the name. */
  industry: string;
  city: City;
  street: string;
  postalCode: string;
}

const ascii = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "");

export function makePerson(rng: DemoRandom, chinese: boolean): DemoPerson {
  if (chinese) {
    const [last, lastPy] = rng.pick(CN_SURNAMES);
    const [first, firstPy] = rng.pick(CN_GIVEN_NAMES);
    return { firstName: first, lastName: last, emailLocal: `${firstPy}.${lastPy}` };
  }
  const first = rng.pick(EN_FIRST_NAMES);
  const last = rng.pick(EN_LAST_NAMES);
  return { firstName: first, lastName: last, emailLocal: `${ascii(first)}.${ascii(last)}` };
}

export function makeCompany(rng: DemoRandom, chinese: boolean): DemoCompany {
  const city = rng.pick(chinese ? CN_CITIES : US_CITIES);
  const postalCode = city.postal.replace(/#/g, () => String(rng.int(0, 9)));
  if (chinese) {
    const [word, wordPy] = rng.pick(CN_COMPANY_WORDS);
    const [trade, tradePy, industry] = rng.pick(CN_COMPANY_TRADES);
    return {
      name: `${city.city}${word}${trade}${rng.pick(CN_COMPANY_SUFFIXES)}`,
      domain: `${wordPy}-${tradePy}.cn`,
      chinese, industry, city, postalCode,
      street: `${rng.pick(CN_STREETS)}${rng.int(1, 999)}号`,
    };
  }
  const brand = rng.pick(EN_COMPANY_PREFIXES) + rng.pick(EN_COMPANY_NOUNS);
  const [trade, industry] = rng.pick(EN_COMPANY_TRADES);
  return {
    name: `${brand} ${trade} ${rng.pick(EN_COMPANY_SUFFIXES)}`,
    domain: `${ascii(brand)}${ascii(trade)}.com`,
    chinese, industry, city, postalCode,
    street: `${rng.int(1, 9999)} ${rng.pick(EN_STREETS)}`,
  };
}

const digits = (rng: DemoRandom, n: number): string => {
  let out = "";
  for (let i = 0; i < n; i++) out += String(rng.int(0, 9));
  return out;
};

/** A landline in the city's area code, or a mobile number, in international notation. */
export function makePhone(rng: DemoRandom, city: City, mobile: boolean): string {
  if (city.country === "中国") {
    return mobile
      ? `+86 1${rng.pick(["38", "39", "58", "86", "36", "77"])} ${digits(rng, 4)} ${digits(rng, 4)}`
      : `+86 ${city.area} ${digits(rng, 4)} ${digits(rng, 4)}`;
  }
  if (city.country === "United Kingdom") return `+44 ${city.area} ${digits(rng, 4)} ${digits(rng, 4)}`;
  return `+1 ${mobile ? rng.int(201, 989) : city.area}-555-${digits(rng, 4)}`;
}
