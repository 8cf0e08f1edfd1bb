// What an operator can get wrong about persisted operations: each a class, each message saying what to fix. An
// unknown partner is the partners' own PartnerNotFound.

export abstract class OperationsError extends Error {}

export class InvalidOperationsInput extends OperationsError {
  override name = "InvalidOperationsInput";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class ManifestVersionConflict extends OperationsError {
  override name = "ManifestVersionConflict";
  constructor(readonly manifest: string) {
    super(`${manifest} is published already with other documents: versions are immutable, publish this manifest as a new version`);
  }
}

export class ManifestRetired extends OperationsError {
  override name = "ManifestRetired";
  constructor(
    readonly manifest: string,
    retiredAt: Date,
  ) {
    super(`${manifest} was retired at ${retiredAt.toISOString()}: versions are immutable, publish a new version`);
  }
}

export class ManifestNotFound extends OperationsError {
  override name = "ManifestNotFound";
  constructor(readonly manifest: string) {
    super(`${manifest} is not published: see the manifests with \`npm run operations -- list\``);
  }
}

export class AppNameTaken extends OperationsError {
  override name = "AppNameTaken";
  constructor(
    readonly appName: string,
    owner: string | null,
  ) {
    super(
      `the app name ${appName} belongs to ${owner ?? "the gateway"}: browser apps are found by name alone, so each name has one owner; choose another name`,
    );
  }
}
