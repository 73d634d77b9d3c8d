/**
 * The filing-rules engine: for each application, the filing category a set of changes
 * needs, with citations and a rationale a reviewer can read. Pure: the catalog is passed
 * in (defaulting to the built-in one), nothing is read from the clock or the outside.
 */
import { mostDemanding, regimeOf } from './categories';
import {
  CATALOG,
  evaluateOutcomes,
  findCatalogEntry,
  type Catalog,
  type CatalogEntry,
  type Outcome,
  type Question,
} from './catalog';
import type { Answer, Change } from './model';
import type {
  CaseDecisions,
  ChangeAssessment,
  Decision,
  RecommendApplication,
  RecommendCase,
} from './recommend.schema';

const describeValue = (value: Answer): string => (typeof value === 'boolean' ? (value ? 'yes' : 'no') : `"${value}"`);

const describeQuestion = (question: Question): string => `"${question.id}" ("${question.text}")`;

/** Why an answer cannot be used, or undefined when it can (or was not given). */
const answerProblem = (question: Question, value: Answer | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if (question.answer.kind === 'boolean') {
    return typeof value === 'boolean'
      ? undefined
      : `the answer ${describeValue(value)} to question ${describeQuestion(question)} must be true or false`;
  }
  return typeof value === 'string' && question.answer.options.includes(value)
    ? undefined
    : `the answer ${describeValue(value)} to question ${describeQuestion(question)} must be one of ${question.answer.options.join(', ')}`;
};

const describeConditions = (outcome: Outcome, application: RecommendApplication): string => {
  const parts = Object.entries(outcome.when.answers ?? {}).map(([id, value]) => `${id} = ${describeValue(value)}`);
  if (outcome.when.deviceClass && application.deviceClass) parts.push(`device class ${application.deviceClass}`);
  return parts.length === 0 ? '' : ` (given ${parts.join(', ')})`;
};

const CONFIRM_U = ' [confidence U: confirm against the cited text before release]';

/** The category one change leads to for one application, and why. */
export const assessChange = (
  change: Change,
  application: RecommendApplication,
  catalog: Catalog = CATALOG,
  position = 1,
): ChangeAssessment => {
  const label = `#${position} "${change.code}"`;
  const undecided = (reason: string, citations: string[] = []): ChangeAssessment => ({
    position,
    code: change.code,
    category: 'REVIEW-REQUIRED',
    citations,
    reason,
  });

  const entry: CatalogEntry | undefined = findCatalogEntry(change.code, catalog);
  if (!entry)
    return undecided(
      `${label} is not a change code in the catalog; classify the change by hand or choose a catalog code.`,
    );

  const named = `${label} (${entry.title})`;
  const regime = regimeOf(application.type);
  const rule = entry.rules[regime];
  if (!rule) {
    return undecided(
      `${named} does not apply to ${application.type} applications: the ${regime} filing rules say nothing about it, so application ${application.id} needs a reviewer's assessment.`,
    );
  }

  // The rule exists but cannot decide: cite the sources it draws on, where the reviewer will have to look.
  const ruleSources = [...new Set(rule.outcomes.flatMap((o) => o.citations))];
  const answers = change.answers ?? {};
  const questionById = new Map(entry.questions.map((q) => [q.id, q]));
  const problems = rule.requires.flatMap((id) => {
    const question = questionById.get(id);
    const problem = question && answerProblem(question, answers[id]);
    return problem ? [problem] : [];
  });
  if (problems.length > 0)
    return undecided(
      `${named}: ${problems.join('; ')}; the ${regime} rule cannot use it for application ${application.id}.`,
      ruleSources,
    );

  const evaluation = evaluateOutcomes(rule.outcomes, { answers, deviceClass: application.deviceClass });
  switch (evaluation.kind) {
    case 'matched': {
      const { outcome } = evaluation;
      const reason = `${named} → ${outcome.category}: ${outcome.note}${describeConditions(outcome, application)}${outcome.confidence === 'U' ? CONFIRM_U : ''}`;
      return { position, code: change.code, category: outcome.category, citations: outcome.citations, reason };
    }
    case 'blocked': {
      const missing = evaluation.missingQuestionIds.map((id) => {
        const question = questionById.get(id);
        return `question ${question ? describeQuestion(question) : `"${id}"`} is unanswered`;
      });
      if (evaluation.missingDeviceClass) {
        const tested = rule.outcomes[evaluation.index]?.when.deviceClass ?? [];
        missing.push(
          `application ${application.id} has no device class, and the rule tests it (class ${tested.join(' or ')})`,
        );
      }
      const strays = Object.keys(answers).filter((id) => !questionById.has(id));
      const strayNote =
        strays.length > 0 ? ` Answers were given to questions this code does not ask: ${strays.join(', ')}.` : '';
      return undecided(
        `${named}: ${missing.join('; ')}; the ${regime} rule needs ${missing.length > 1 ? 'them' : 'it'} to decide for application ${application.id}.${strayNote}`,
        ruleSources,
      );
    }
    case 'unmatched':
      return undecided(
        `${named}: no outcome of the ${regime} rule matches the answers given for application ${application.id}.`,
        ruleSources,
      );
  }
};

const describeApplication = (application: RecommendApplication) =>
  `${application.type} application ${application.id} (${application.market})`;

const summarize = (assessments: readonly ChangeAssessment[]) =>
  assessments.map((a) => `#${a.position} "${a.code}" → ${a.category}`).join('; ');

/**
 * One decision for one application: the most demanding category of its changes, the
 * citations of the changes that decided it, and a rationale naming them.
 */
export const recommendForApplication = (
  changes: readonly Change[],
  application: RecommendApplication,
  catalog: Catalog = CATALOG,
): Decision => {
  const subject = describeApplication(application);
  if (changes.length === 0) {
    return {
      applicationId: application.id,
      category: 'REVIEW-REQUIRED',
      citations: [],
      rationale: `REVIEW-REQUIRED for ${subject}: no change codes assessed. Add the change codes that describe the change.`,
    };
  }

  const assessments = changes.map((change, i) => assessChange(change, application, catalog, i + 1));
  const category = mostDemanding(
    application.type,
    assessments.map((a) => a.category),
  );
  const deciding = assessments.filter((a) => a.category === category);
  const others = assessments.filter((a) => a.category !== category);
  const citations = [...new Set(deciding.flatMap((a) => a.citations))];

  let rationale: string;
  if (category === 'REVIEW-REQUIRED') {
    const undecidedReasons =
      deciding.length > 0
        ? deciding.map((a) => a.reason).join(' ')
        : `Some changes lead to categories outside the ${regimeOf(application.type)} ladder: ${summarize(assessments)}.`;
    rationale =
      `REVIEW-REQUIRED for ${subject}: the rules cannot decide ${deciding.length} of ${assessments.length} change${assessments.length > 1 ? 's' : ''}` +
      `${assessments.length > 1 ? ', and one undecided change leaves the whole group undecided' : ''}. ${undecidedReasons}` +
      `${others.length > 0 ? ` Decided changes: ${summarize(others)}.` : ''} A regulatory reviewer must decide and record why` +
      `${citations.length > 0 ? '; the citations are the sources the undecided rules draw on.' : '.'}`;
  } else if (assessments.length === 1) {
    rationale = `${category} for ${subject}. ${deciding.map((a) => a.reason).join(' ')}`;
  } else {
    rationale =
      `${category} for ${subject}: the most demanding of ${assessments.length} changes assessed together, because grouped changes are filed at the highest category. ` +
      `Decided by ${deciding.map((a) => a.reason).join(' Also decided by ')}` +
      `${others.length > 0 ? ` Other changes: ${summarize(others)}.` : ''}`;
  }
  return { applicationId: application.id, category, citations, rationale };
};

/** One decision per application of the case, in the order the applications are given. */
export const recommendForCase = (input: RecommendCase, catalog: Catalog = CATALOG): CaseDecisions => ({
  id: input.id,
  decisions: input.applications.map((application) => recommendForApplication(input.changes, application, catalog)),
});
