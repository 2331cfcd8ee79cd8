/**
 * Gradescope's autograder results.json, as its specification documents it
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format): every documented
 * field and no other. The spec asks for `score` at the top level or on every test; the reporter
 * always gives both.
 */
import { Type, type Static } from '@sinclair/typebox';

export const GradescopeVisibility = Type.Union([
  Type.Literal('visible'),
  Type.Literal('hidden'),
  Type.Literal('after_due_date'),
  Type.Literal('after_published'),
]);

/** How Gradescope renders a string: `text` shows it as is, with no markup interpreted. */
export const GradescopeFormat = Type.Union([
  Type.Literal('text'),
  Type.Literal('html'),
  Type.Literal('simple_format'),
  Type.Literal('md'),
  Type.Literal('ansi'),
]);

export const GradescopeTest = Type.Object(
  {
    score: Type.Optional(Type.Number()),
    max_score: Type.Optional(Type.Number()),
    status: Type.Optional(Type.Union([Type.Literal('passed'), Type.Literal('failed')])),
    name: Type.Optional(Type.String()),
    name_format: Type.Optional(GradescopeFormat),
    /** Shown before the name; tests are numbered in order when absent. */
    number: Type.Optional(Type.String()),
    output: Type.Optional(Type.String()),
    output_format: Type.Optional(GradescopeFormat),
    tags: Type.Optional(Type.Array(Type.String())),
    visibility: Type.Optional(GradescopeVisibility),
    extra_data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const GradescopeLeaderboardEntry = Type.Object(
  {
    name: Type.String(),
    value: Type.Union([Type.Number(), Type.String()]),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  },
  { additionalProperties: false },
);

export const GradescopeResults = Type.Object(
  {
    score: Type.Optional(Type.Number()),
    /** Seconds. */
    execution_time: Type.Optional(Type.Integer({ minimum: 0 })),
    output: Type.Optional(Type.String()),
    output_format: Type.Optional(GradescopeFormat),
    test_output_format: Type.Optional(GradescopeFormat),
    test_name_format: Type.Optional(GradescopeFormat),
    visibility: Type.Optional(GradescopeVisibility),
    stdout_visibility: Type.Optional(GradescopeVisibility),
    extra_data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    tests: Type.Optional(Type.Array(GradescopeTest)),
    leaderboard: Type.Optional(Type.Array(GradescopeLeaderboardEntry)),
  },
  { additionalProperties: false },
);

export type GradescopeTest = Static<typeof GradescopeTest>;
export type GradescopeResults = Static<typeof GradescopeResults>;
