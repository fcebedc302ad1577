import type { RuleTable } from './types.js';

/**
 * ModelScope API-Inference is a gateway: callers hold no balance there (a free daily allowance of
 * calls per account, modelscope.cn/docs/model-service/API-Inference/intro). A balance error relayed
 * through it is the serving vendor's account behind the gateway (MiniMax `insufficient balance
 * (1008)`, modelscope/modelscope#1691): the models routed there fail, the key's other models answer.
 */
export const MODELSCOPE_RULES: RuleTable = {
  family: 'modelscope',
  title: 'ModelScope API-Inference (gateway)',
  providers: ['modelscope'],
  defaultScopes: { billing: 'model' },
  rules: [],
};
