export { explainChain } from './explain-chain.js';
export type { ExplainChainOptions } from './explain-chain.js';
export type { CandidateExplanation, CandidateVerdict, ChainExplanation, ProfileExplanation } from './explain-candidates.js';
