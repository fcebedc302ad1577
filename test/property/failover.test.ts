import { test } from '@fast-check/vitest';
import { BOUNDED, bounded, boundedWorlds } from './properties/bounded.js';
import { FALLBACK_REACHED, fallbackReached, fallbackWorlds } from './properties/fallback-reached.js';
import {
  NO_WASTED_CALL_PROFILE,
  NO_WASTED_CALL_PROVIDER,
  noWastedProfileCall,
  noWastedProviderCall,
  profileOutWorlds,
  providerOutWorlds,
} from './properties/no-wasted-call.js';
import { REQUEST_ERRORS_STOP, requestErrorsStop, requestErrorWorlds } from './properties/request-errors-stop.js';

// What a run does with provider failures. Each property is stated in properties/<name>.ts, where
// the mutation tests (test/mutation) reuse it against deliberately broken engines.
test.prop({ world: fallbackWorlds })(FALLBACK_REACHED, ({ world }) => fallbackReached(world));
test.prop({ world: boundedWorlds })(BOUNDED, ({ world }) => bounded(world));
test.prop({ world: profileOutWorlds })(NO_WASTED_CALL_PROFILE, ({ world }) => noWastedProfileCall(world));
test.prop({ world: providerOutWorlds })(NO_WASTED_CALL_PROVIDER, ({ world }) => noWastedProviderCall(world));
test.prop({ world: requestErrorWorlds })(REQUEST_ERRORS_STOP, ({ world }) => requestErrorsStop(world));
