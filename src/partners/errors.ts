// What an operator (through the CLI) or the gateway can get wrong about partners: each a class, each message
// saying what to fix. Anything else thrown by Partners (the database down) is not a PartnerError.

export abstract class PartnerError extends Error {}

export class PartnerNotFound extends PartnerError {
  override name = "PartnerNotFound";
  constructor(readonly partnerId: string) {
    super(`no partner has the id ${JSON.stringify(partnerId)}: see the ids with \`npm run partner -- list\``);
  }
}

export class PartnerKeyNotFound extends PartnerError {
  override name = "PartnerKeyNotFound";
  constructor(
    readonly partnerId: string,
    readonly keyId: string,
  ) {
    super(`partner ${partnerId} has no key with the id ${JSON.stringify(keyId)}: see its keys with \`npm run partner -- list\``);
  }
}

export class PartnerNameTaken extends PartnerError {
  override name = "PartnerNameTaken";
  constructor(readonly partnerName: string) {
    super(`a partner named ${JSON.stringify(partnerName)} exists already (names are compared ignoring case): choose another name`);
  }
}

/** An input that cannot be stored; `field` names it (name, scopes, redirectOrigins, label). */
export class InvalidPartnerInput extends PartnerError {
  override name = "InvalidPartnerInput";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
