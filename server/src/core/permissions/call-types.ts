// The shapes of a prediction: the API calls one wrangler command makes, each with its cause.
import type { Location } from "../source.js";
import type { WranglerCommand } from "../command.js";
import type { Confidence } from "./catalog.js";

/** Why a call is made: the place that causes it and a sentence for people. */
export interface Cause {
  location: Location | undefined;
  /** Dotted config key, or "command" / "account" for causes outside the config. */
  key: string;
  why: string;
}

export interface ZoneRef {
  zoneId?: string;
  zoneName?: string;
  /** For a bare pattern: the host whose zone wrangler looks up (zone name guessed from it). */
  host?: string;
}

export interface PredictedCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path template, e.g. /accounts/{account_id}/workers/scripts/{script_name}. */
  path: string;
  cause: Cause;
  /** Only in this account state: "fresh" (resource missing, wrangler creates it) or "existing". */
  when?: "fresh" | "existing";
  zone?: ZoneRef;
  bucket?: { name: string; jurisdiction: string };
  /** Set when the facts behind this call are uncertain. */
  confidence?: Confidence;
  /** The call changes data, so a Read group that the endpoint also accepts is not enough (e.g. D1 SQL that writes). */
  writes?: boolean;
  /** A server-side check rather than a call of its own: these groups are needed by the named call. */
  serverCheck?: { groups: string[]; note: string };
}

export interface Prediction {
  calls: PredictedCall[];
  notes: string[];
  /** Problems that make the prediction unusable (e.g. no Worker name). */
  errors: string[];
  /** Set when the command is not one the tool can answer (unknown, or its API calls are not in the catalog). */
  unsupported?: string;
}

export interface PredictContext {
  command: WranglerCommand;
  /** The account id is known without an API lookup (config account_id, CI, --account-id). */
  accountKnown: boolean;
  /** Where the command itself is written (a CI step), used as the cause of command-level calls. */
  commandLocation?: Location;
}
