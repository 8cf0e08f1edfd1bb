// Postal addresses for the e-Aadhaar of seeded users (the <Poa> element). Invented; PIN codes are real
// ones for the named places so the data looks right.
import type { SandboxUser } from "../state.js";
import type { AadhaarAddress } from "./xml.js";

const BY_USER: Record<string, AadhaarAddress> = {
  // Ajit Kumar
  "123e4567-e89b-12d3-a456-426655440000": {
    co: "S/O Ramesh Kumar",
    house: "B-42",
    street: "Lajpat Nagar II",
    lm: "Near Central Market",
    loc: "Lajpat Nagar",
    vtc: "New Delhi",
    subdist: "Defence Colony",
    dist: "South East Delhi",
    state: "Delhi",
    pc: "110024",
    po: "Lajpat Nagar",
  },
  // Priya Sharma
  "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f": {
    co: "D/O Suresh Sharma",
    house: "Flat 1204, Sai Heights",
    street: "Link Road",
    lm: "Opposite Infiniti Mall",
    loc: "Andheri West",
    vtc: "Mumbai",
    subdist: "Andheri",
    dist: "Mumbai Suburban",
    state: "Maharashtra",
    pc: "400053",
    po: "Andheri West",
  },
  // Asha Devi
  "c3d4e5f6-a7b8-4c9d-8e0f-112233445566": {
    co: "W/O Mohan Lal",
    house: "H.No. 17",
    street: "Gali No. 4, Shastri Park",
    lm: "Near Metro Station",
    loc: "Shastri Park",
    vtc: "Delhi",
    subdist: "Seelampur",
    dist: "North East Delhi",
    state: "Delhi",
    pc: "110053",
    po: "Shastri Park",
  },
};

const FALLBACK: AadhaarAddress = {
  co: "",
  house: "1",
  street: "Sansad Marg",
  lm: "",
  loc: "Connaught Place",
  vtc: "New Delhi",
  subdist: "Connaught Place",
  dist: "New Delhi",
  state: "Delhi",
  pc: "110001",
  po: "Parliament Street",
};

export function addressOf(user: SandboxUser): AadhaarAddress {
  return BY_USER[user.digilockerId] ?? FALLBACK;
}
