// Get Statistics (spec: "Get Statistics"): counts as on today's date in India, every value a string as in
// the spec's sample. The counts grow by a fixed amount per month, so the same date gives the same answer
// and a test can pin it with the sandbox's `now`.
import type { SandboxContext } from "../router.js";

const IST_OFFSET_MS = 19_800_000;
/** The series start here: January 2016, the first year of the spec's yearwise sample. */
const FIRST_YEAR = 2016;
const USERS_AT_START = 5_000_000;
const USERS_PER_MONTH = 4_200_000;
/** Documents pass 2^31 in mid-2018, so clients must not read them as 32-bit integers. */
const DOCUMENTS_AT_START = 10_134_567;
const DOCUMENTS_PER_MONTH = 75_000_000;
/** Requester organisations: the real service's order of magnitude; the sandbox has no list of them. */
const REQUESTERS = 1_847;
const ID_BASE = 18_000;

export interface StatisticsBody {
  users: string;
  authentic_documents: string;
  issuers: string;
  requesters: string;
  count_as_on: string;
  monthwise_registrations: { id: string; month: string; year: string; count: string }[];
  yearwise_authentic_documents: { id: string; year: string; count: string }[];
}

/** Months from January 2016 to the given month (0-based month), never negative. */
function monthIndex(year: number, month0: number): number {
  return Math.max(0, (year - FIRST_YEAR) * 12 + month0);
}

const usersAt = (m: number) => USERS_AT_START + USERS_PER_MONTH * m;
const documentsAt = (m: number) => DOCUMENTS_AT_START + DOCUMENTS_PER_MONTH * m;

export function statistics(ctx: SandboxContext): StatisticsBody {
  // DigiLocker counts in IST: shift before reading the calendar fields.
  const today = new Date(ctx.now() + IST_OFFSET_MS);
  const year = today.getUTCFullYear();
  const month0 = today.getUTCMonth();
  const current = monthIndex(year, month0);

  // The last 12 months, oldest first, ending with the current one (spec: "last 12 months cumulative").
  const monthwise = Array.from({ length: 12 }, (_, i) => {
    const at = new Date(Date.UTC(year, month0 - 11 + i, 1));
    const m = monthIndex(at.getUTCFullYear(), at.getUTCMonth());
    return {
      id: String(ID_BASE + 500 + m),
      month: String(at.getUTCMonth() + 1),
      year: String(at.getUTCFullYear()),
      count: String(usersAt(m)),
    };
  });

  // Cumulative per year from 2016; the current year's count is today's.
  const yearwise = [];
  for (let y = FIRST_YEAR; y <= Math.max(year, FIRST_YEAR); y++) {
    const m = y < year ? monthIndex(y, 11) : current;
    yearwise.push({ id: String(ID_BASE + 300 + (y - FIRST_YEAR)), year: String(y), count: String(documentsAt(m)) });
  }

  const dd = String(today.getUTCDate()).padStart(2, "0");
  const mm = String(month0 + 1).padStart(2, "0");
  return {
    users: String(usersAt(current)),
    authentic_documents: String(documentsAt(current)),
    issuers: String(ctx.state.issuers.length),
    requesters: String(REQUESTERS),
    count_as_on: `${dd}${mm}${String(year)}`,
    monthwise_registrations: monthwise,
    yearwise_authentic_documents: yearwise,
  };
}
