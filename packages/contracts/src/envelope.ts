import { z } from 'zod';

/** What every message carries around its payload. */
export const envelopeMeta = z.strictObject({
  /** Unique per message; also the BullMQ job id and the consumers' inbox key. */
  id: z.uuid(),
  name: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** Carried from the originating HTTP request through every queue hop. */
  correlationId: z.string().min(1).max(200),
  /** The id of the message whose handling produced this one, if any. */
  causationId: z.uuid().optional(),
});
export type EnvelopeMeta = z.infer<typeof envelopeMeta>;

export interface Envelope<N extends string = string, P = unknown> extends EnvelopeMeta {
  name: N;
  payload: P;
}

export interface MessageDefinition<N extends string, V extends number, S extends z.ZodType> {
  readonly name: N;
  readonly version: V;
  /** `name@vN`: how the registry and the job name tell versions apart. */
  readonly key: `${N}@v${V}`;
  readonly payload: S;
  readonly envelope: z.ZodType<Envelope<N, z.infer<S>>>;
}

export function defineMessage<N extends string, V extends number, S extends z.ZodType>(
  name: N,
  version: V,
  payload: S,
): MessageDefinition<N, V, S> {
  const envelope = envelopeMeta.extend({
    name: z.literal(name),
    version: z.literal(version),
    payload,
  }) as unknown as z.ZodType<Envelope<N, z.infer<S>>>;
  return { name, version, key: `${name}@v${version}`, payload, envelope };
}

export type MessageOf<D extends { envelope: z.ZodType }> = z.infer<D['envelope']>;
export type PayloadOf<D extends { payload: z.ZodType }> = z.infer<D['payload']>;
