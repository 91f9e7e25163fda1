// The pre-chat form's rules: which topics can be answered live now, and what the server will
// accept (mirrors signaling/protocol: name ≤ 100, email pattern, message 1–4000 characters).

import type { Availability, SiteConfig, TeamAvailability, Topic } from "../protocol.gen";

export const MAX_NAME = 100;
export const MAX_EMAIL = 254;
export const MAX_MESSAGE = 4000;
export const MAX_COMMENT = 2000;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface TopicStatus {
  topic: Topic;
  available: boolean;
  reason: "no_agents" | "outside_hours" | null;
  estimatedWaitS: number | null;
  /** Closed for the day: when it opens next (unix ms), if the server knows. */
  opensAt: number | null;
}

/** A topic's team as `availability` describes it. A team the server did not mention is
 * assumed open: the server has the last word when the conversation starts. */
export function topicStatus(topic: Topic, availability: Availability | null): TopicStatus {
  const team: TeamAvailability | undefined =
    availability?.teams.find((t) => t.team === topic.team);
  if (!team) return { topic, available: true, reason: null, estimatedWaitS: null, opensAt: null };
  return { topic, available: team.available, reason: team.available ? null : team.reason,
           estimatedWaitS: team.available ? team.estimated_wait_s : null,
           opensAt: team.available ? null : team.opens_at ?? null };
}

export function topicStatuses(site: SiteConfig, availability: Availability | null
): TopicStatus[] {
  return site.topics.map((t) => topicStatus(t, availability));
}

/** True when no topic can be answered live: the launcher then says so. */
export function allOffline(site: SiteConfig, availability: Availability | null): boolean {
  const all = topicStatuses(site, availability);
  return all.length > 0 && all.every((s) => !s.available);
}

export interface PrechatInput {
  topic: string;
  name: string;
  email: string;
  message: string;
}

export type PrechatErrors = Partial<Record<keyof PrechatInput, string>>;

export function validatePrechat(input: PrechatInput, topics: readonly Topic[]): PrechatErrors {
  const errors: PrechatErrors = {};
  if (!topics.some((t) => t.id === input.topic)) errors.topic = "Choose what this is about.";
  if (input.name.trim().length > MAX_NAME) {
    errors.name = `Use at most ${MAX_NAME} characters.`;
  }
  const email = input.email.trim();
  if (email && (email.length > MAX_EMAIL || !EMAIL.test(email))) {
    errors.email = "Enter an email address like name@example.com, or leave it empty.";
  }
  const message = input.message.trim();
  if (!message) errors.message = "Write a message.";
  else if (message.length > MAX_MESSAGE) errors.message = `Use at most ${MAX_MESSAGE} characters.`;
  return errors;
}

export function validEmail(email: string): boolean {
  return email.length <= MAX_EMAIL && EMAIL.test(email);
}
