/**
 * `miou sim --schedule FILE`: a run that makes exactly the choices of a schedule (strict
 * replay): its picks, its draws and its clock jumps. A choice the schedule cannot make is
 * a divergence (exit 5): the program, the input or the flags are not the schedule's.
 */
import type { Host } from "../../platform/host.js";
import type { VirtualHost } from "../virtual-host.js";
import { ReplayChooser } from "./chooser.js";
import { JumpingHost, scheduledJumps } from "./jumping-host.js";
import type { Schedule } from "./schedule.js";

export interface ScheduleReplay {
  /** The choices to hand `simulate`; `divergence` is set once the run could not follow them. */
  readonly choices: ReplayChooser;
  readonly wrapHost: (host: VirtualHost) => Host;
}

/** What `simulate` needs to replay `schedule` strictly. */
export function scheduleReplay(schedule: Schedule): ScheduleReplay {
  return { choices: new ReplayChooser(schedule, true), wrapHost: (host) => new JumpingHost(host, scheduledJumps(schedule.jumps)) };
}

/** Why the run's flags disagree with the schedule's, or null when they agree. */
export function scheduleDisagreement(schedule: Schedule, seed: number, domains: number): string | null {
  if (seed !== schedule.seed) return `--seed ${seed} is not the schedule's seed ${schedule.seed} (leave --seed out to use it)`;
  if (domains !== schedule.domains) return `--domains ${domains} is not the schedule's domains ${schedule.domains} (leave --domains out to use it)`;
  return null;
}
