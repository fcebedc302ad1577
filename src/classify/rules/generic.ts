import type { RuleTable } from './types.js';

/**
 * Rules every provider gets, after its own family's. Order matters: the first text rule that may
 * refine the base reason wins, so specific wording (context size, policy, credentials, money,
 * long windows) comes before broad wording (rate limit, overload, server error).
 */
export const GENERIC_RULES: RuleTable = {
  family: 'generic',
  title: 'Every provider',
  providers: [],
  rules: [
    // Client-side codes and exception names.
    { code: /^(aborterror|abort_err|und_err_aborted|apiuseraborterror|ai_aborterror)$/i, reason: 'aborted', yieldsToStatus: true, note: "the caller's AbortSignal fired" },
    { code: /^(timeouterror|apiconnectiontimeouterror|etimedout|esockettimedout|econnaborted|und_err_(connect|headers|body)_timeout)$/i, reason: 'timeout', yieldsToStatus: true, note: 'a client-side deadline or socket timeout' },
    { code: /^(econnreset|econnrefused|enotfound|eai_again|epipe|ehostunreach|enetunreach|enetdown|econnclosed|und_err_socket|und_err_closed|und_err_connect|und_err_[a-z_]+|apiconnectionerror|fetcherror|err_ssl_[a-z_]+|cert_[a-z_]+)$/i, reason: 'network', yieldsToStatus: true, note: 'Node, undici and SDK connection errors' },

    // The response could not be read: the provider (or a proxy) broke it, the request was fine.
    { code: /^(ai_jsonparseerror|ai_emptyresponsebodyerror|ai_invalidresponsedataerror|ai_nocontentgeneratederror|provider_error)$/i, reason: 'server_error', yieldsToStatus: true, note: 'an unreadable, empty or failed response (AI SDK parse errors, finish reason "error")' },
    { code: /^ai_typevalidationerror$/i, reason: 'server_error', scope: 'model', yieldsToStatus: true, note: 'the model answered in a shape the client cannot use' },
    { code: /^incomplete_response$/i, reason: 'network', yieldsToStatus: true, note: 'the stream ended without a finish' },

    // Provider codes: money and long windows.
    { code: /^(usage_limit_reached|usage_limit_exceeded|quota_exceeded|quota_exhausted|[a-z_]+_quota_(exceeded|exhausted)|daily_limit_exceeded|monthly_limit_exceeded)$/i, reason: 'quota_exhausted', note: 'the account used up a usage window' },
    { code: /^(insufficient_quota|insufficient_balance|insufficient_credits|billing_hard_limit_reached|billing_not_active|payment_required|credits_exhausted|arrearage|invalid_?subscription|usage_not_included)$/i, reason: 'billing', note: 'no credit or plan: a human must pay' },
    // Short windows.
    { code: /^(rate_limit_exceeded|rate_limit_error|rate_limited|ratelimitexceeded|ratelimiterror|ratelimit|too_many_requests|toomanyrequests(exception)?|throttl[a-z]*(\.[a-z]+)?|requests_limit_exceeded|resource_exhausted|resourceexhausted|some resource has been exhausted)$/i, reason: 'rate_limit', note: 'rate limit and gRPC RESOURCE_EXHAUSTED codes' },
    // Capacity.
    { code: /^(capacity_exceeded|modelnotreadyexception|model_not_ready|model_capacity_exhausted|queue_exceeded)$/i, reason: 'overloaded', scope: 'model', note: 'this model has no capacity now' },
    { code: /^(overloaded_error|overloaded|server_overloaded|engine_overloaded(_error)?|serviceunavailableexception|service_unavailable)$/i, reason: 'overloaded', note: 'the provider sheds load' },
    { code: /^unavailable$/i, reason: 'overloaded', weak: true, note: 'gRPC UNAVAILABLE' },
    // The request does not fit or is refused for its content.
    { code: /^(context_length_exceeded|model_context_window_exceeded|context_window_exceeded|prompt_too_long|request_too_large)$/i, reason: 'context_overflow', note: 'the input does not fit the context window' },
    { code: /^(content_filter|content_policy_violation|contentpolicyviolationerror|responsibleaipolicyviolation|prohibited_content|content_blocked|moderation_blocked|datainspectionfailed|safety|blocklist|spii|image_safety|guardrail_intervened|content_filtered)$/i, reason: 'content_policy', note: 'moderation refused the input or output' },
    { code: /^(model_not_found|model_is_deactivated|model_decommissioned|modelnotfound(exception)?|deployment_?not_?found|model_deprecated|model_not_available|dedicated_endpoint_not_running|invalid_model)$/i, reason: 'model_not_found', note: 'the model does not exist for this key' },
    { code: /^(not_found|not_found_error|notfound|resource_not_found_error|resourcenotfoundexception|not-found)$/i, reason: 'model_not_found', weak: true, note: 'a generic not-found category' },
    // Credentials.
    { code: /^unsupported_country_region_territory$/i, reason: 'auth', scope: 'provider', note: 'a region block: nothing from this provider works from here, whatever the key' },
    { code: /^(invalid_api_key|invalidapikey|api_key_invalid|invalid_authentication(_error)?|authentication_error|authenticationerror|unauthenticated|unauthorized|accessdeniedexception|access_denied|permission_error|permission_denied(_error)?|permission-denied|request_forbidden|forbidden|no_organization|deactivated_workspace|account_deactivated|unrecognizedclientexception|expiredtokenexception|invalidsignatureexception|incompletesignatureexception|token_expired|invalid_token|model\.accessdenied)$/i, reason: 'auth', note: 'the key, token or account is refused' },
    // Timeouts and server faults reported by the provider.
    { code: /^(deadline_exceeded|request_timeout|gateway_timeout)$/i, reason: 'timeout', scope: 'provider', note: 'the provider timed out (gRPC DEADLINE_EXCEEDED)' },
    { code: /^(modeltimeoutexception|model_timeout)$/i, reason: 'timeout', scope: 'model', note: 'the model timed out' },
    { code: /^(modelerrorexception|modelstreamerrorexception)$/i, reason: 'server_error', scope: 'model', note: 'the model itself failed' },
    { code: /^(tool_use_failed|malformed_function_call)$/i, reason: 'server_error', scope: 'model', note: 'the model produced a tool call that does not parse or fit its schema: a retry or another model may succeed, the request is fine' },
    { code: /^(server_error|api_error|internal_error|internal|internalservererror|internal_server_error|internalserverexception|internalfailure|servererror|bad_gateway)$/i, reason: 'server_error', weak: true, note: 'a generic server-fault category' },
    // Request errors.
    { code: /^(unsupported_parameter|unsupported_value|invalid_value|invalid_type|missing_required_parameter|invalid_parameter_combination)$/i, reason: 'bad_request', note: 'a parameter the API refuses' },
    { code: /^(invalid_request_error|invalid_request|invalid_argument|invalid argument|validationexception|validation_error|bad_request|badrequest|badrequesterror|invalid_parameters?|invalidparameters?|failed_precondition)$/i, reason: 'unknown', scope: 'model', retryable: false, weak: true, note: 'a broad request-error category: not evidence that every model would refuse the request, so this (model, profile) moves on' },

    // Text: where the caller is, not which key: nothing from this provider works from here.
    { text: /country, region,? or territory not supported|user location is not supported|unsupported_country_region_territory|not available in your (country|region)/i, reason: 'auth', scope: 'provider', note: 'a region block: no key of this provider helps from here' },
    // The only wording that ends a run: a conversation every chat API refuses, whatever the provider.
    { text: /tool_use`? ids? (were )?found without|without `?tool_result|unexpected `?tool_use_id|number of function response parts is equal to the number of function call parts|tool_call_ids?\b[^\n.]{0,40}\b(did not have|not found|without)|must be followed by tool messages|\bmessages\b[`'"]?:? (field required|is required|must not be empty|cannot be empty)|at least one message is required/i, reason: 'bad_request', scope: 'request', note: 'a tool call without its result (or a result without its call), or no messages at all: every chat API refuses that conversation, so the run ends' },
    // A parameter this model refuses (another model takes the same request).
    { text: /max(imum)?[ _]tokens?\b[^\n.]{0,60}\bexceeds?\b[^\n.]{0,40}\bmodel|exceeds? (the )?model'?s? (maximum output|limit)|(is )?not supported (with|by|for|on) (this|the) model|this model does not support|does not support (the )?(parameter|argument|tools|tool use|tool calling|function calling|images?|vision|streaming)|no endpoints found that support|\b(maximum|at most|max)\b[^\n.]{0,40}\b(output|completion) tokens\b|\brequires\s+--[a-z][a-z-]+|(please )?use (the )?[^\n.]{0,30}\b(api|endpoint) instead/i, reason: 'bad_request', scope: 'model', note: 'a parameter or feature this model refuses: another model may take the request' },
    // Text: the input does not fit.
    { text: /context[ _-]?(length|window|limit|size)|maximum context|maximum prompt length|prompt is too long|prompt too long|too many input tokens|exceeds? the maximum (number of )?(input )?tokens|model(?:'s)? (token|context) limit|exceeded model token limit|max_new_tokens`? must be|tokens[^\n]{0,80}must be <=|input is too long|reduce the length of the messages|total number of tokens[^\n]{0,60}cannot exceed|request too large for (model|gpt|[a-z0-9.-]+ on tokens)|max_tokens must be at least 1, got -|maxlength:? \d+, actual:? \d+|exceeds the maximum allowed number of bytes|too many tokens in (the )?(batch|request|input|prompt)|\b(input|prompt)s?\b[^\n.]{0,30}\btokens?\b[^\n.]{0,30}\b(exceeds?|exceeded|over the limit)|must have (less|fewer) than \d+ tokens|range of input length|(request|payload|body) is too large|上下文(过长|长度|超)/i, reason: 'context_overflow', scope: 'model', retryable: false, note: 'context length, window or token-limit wording, including one request larger than the per-minute budget' },
    // Policy.
    { text: /content[ _-]?(management )?(policy|filter)|safety (system|filter|settings|block)|(input|prompt|output|content) (was|were) flagged|requires moderation|\bmoderation\b|considered high risk|responsible ?ai|prohibited content|violat(es|ed|ion)[^\n]{0,20}(polic|guideline)|content exists risk|blocked:? prompt|blockedreason|blockreason|finish_reason: (safety|recitation|prohibited_content|blocklist|spii)|usage guidelines|inappropriate content|data ?inspection ?failed|敏感|内容(安全|审核)/i, reason: 'content_policy', note: 'moderation wording' },
    // Access to one model: the key may still call the others.
    { text: /do(n't| not) have access to (the|this) model|model access is denied|access to (the|this) model (is )?denied|not authori[sz]ed to (access|use|invoke) (the|this) model|not (allowed|permitted) to (use|access|call|invoke)\b[^\n.]{0,40}\bmodel/i, reason: 'auth', scope: 'model', note: 'the key may not use this model; its other models still answer' },
    // Credentials, specific wording.
    { text: /invalid[^\n]{0,20}api[ _-]?key|incorrect api key|api[ _-]?key (is )?(not valid|invalid|expired|revoked|disabled|not found)|api_key_invalid|your api key:? \S+ is invalid|authorization required|invalid_api_key|\b(key|token|account|workspace|organization) (has been |was |is )?(revoked|disabled|deactivated|suspended|banned)\b|deactivated_workspace|authentication (fails|failed|failure)|invalid authentication|no auth credentials|no credentials found|credential is only authorized|invalid[^\n]{0,30}credentials|invalid (subscription key|client secret|access token|bearer token)|reported as leaked|not logged in|please run \/login|re-?authenticate|oauth[^\n]{0,40}(not allowed|failed|expired|invalid)|token refresh failed|failed to (refresh|extract|decode|parse|verify)\b[^\n]{0,40}\btoken\b|(access|oauth|bearer) token (is )?(expired|invalid)|missing scopes?|insufficient permissions|must be a member of an organization|鉴权失败|认证失败|api ?key ?(无效|错误)/i, reason: 'auth', note: 'invalid, revoked or expired credentials' },
    // Money for one model: the same key still pays for the others.
    { text: /(this|the selected|selected|the requested) model requires\b[^\n.]{0,40}\b(balance|credits?|payment|paid|plan|subscription)/i, reason: 'billing', scope: 'model', note: 'this model needs a paid balance or plan the key lacks; its other models still answer' },
    // Money, specific wording.
    { text: /credit balance|insufficient[^\n]{0,30}(credits?|balance|funds)|requires more credits|purchase more credits|used all available credits|payment information|account is in good standing|credit limit exceeded|no (available )?(balance|credits)|(out of|run out of|used all available|any) credits|used up your (points|credits)|requires more credits|add (more )?credits|top up|billing hard limit|extra usage|not (available|included) (in|on) your (current )?(plan|subscription)|valid [a-z ]{0,20}subscription|subscription (has )?expired|余额不足|欠费|insufficient_quota/i, reason: 'billing', note: 'no credit, balance or plan' },
    // Long windows: wait for the reset or rotate now.
    { text: /\b(daily|weekly|monthly|hourly)\b[^\n.]{0,30}\b(limit|quota|cap)|\b(limit|quota)\b[^\n.]{0,40}\b(daily|weekly|monthly|per day|a day|billing (period|cycle|plan))\b|per[ -]?day|\b(tpd|rpd)\b|try again tomorrow|resets? tomorrow|usage[ _-]?limits?(?![^\n]{0,80}\btry again (later|shortly|soon|in a (moment|few)))|quota will reset|spend(ing)?[ _-]?limit|regain access on|usage is unavailable|\/\s*month\b|calls? per month/i, reason: 'quota_exhausted', note: 'daily, weekly, monthly, usage or spend limit wording' },
    { text: /budget for (model|deployment)|exceeded budget for deployment/i, reason: 'quota_exhausted', scope: 'model', note: 'a spend budget set on one model or deployment' },
    { text: /budget (has been )?(exceeded|exhausted|reached)|exceeded (your |the )?budget|crossed budget|over budget/i, reason: 'quota_exhausted', note: 'a spend budget (a proxy key, team or user), often wrapped in a 400 by a gateway' },
    // Capacity dressed as a limit: not this key's fault; another key will not help, waiting or another provider will.
    { text: /\b((the|our) (service|system|engine|api|platform)|(our|the) servers|our server)\b[^\n.]{0,30}\b(overloaded|unavailable|experiencing high (demand|traffic|load)|out of capacity|unable to (process|handle))|\b(anthropic|bedrock|openai|gemini|vertex)('s)?( api)? is (temporarily |currently )?(overloaded|unable to process)|\bserver overloaded\b|\bwe('re| are) (currently )?experiencing (high|heavy|unusually high) (traffic|load|demand)/i, reason: 'overloaded', scope: 'provider', note: 'the whole service says it is overloaded or unavailable' },
    { text: /no capacity available|out of capacity|capacity (exceeded|limit)|over capacity|at capacity|experiencing high (traffic|demand)|engine is currently overloaded|model is (currently )?(overloaded|at capacity|not ready)/i, reason: 'overloaded', scope: 'model', note: 'this model has no capacity now (a capacity limit, not this key\'s usage)' },
    // Short windows bound to the key or the account: every model of it shares them.
    { text: /concurren\w*[^\n.]{0,40}\b(account|organization|org|team)\b|\b(account|organization)('s)?\b[^\n.]{0,30}\bconcurren|\bkey\b[^\n.]{0,40}\blimited to\b/i, reason: 'rate_limit', scope: 'profile', note: 'a concurrency cap of the account, or a per-key call cap: another model of the same key hits it too' },
    // Short windows.
    { text: /per[ _-]?(minute|second|min\b)|requests per min|tokens per min|\b(rpm|tpm|rps|tps|ipm)\b|concurren(cy|t requests)|too many (concurrent|parallel)|请求过于频繁|调用频率|频率超限|并发/i, reason: 'rate_limit', note: 'per-minute, per-second or concurrency wording' },
    // Quota, generic wording.
    { text: /quota[ _-]?(exceeded|exhausted|used up|reached)|exceeded (your )?(current )?(token )?quota|out of quota|(allocated|subscription|plan) quota|quota (limit|refresh)|key limit exceeded|limit exhausted|配额|额度(已)?(用尽|耗尽)/i, reason: 'quota_exhausted', note: 'quota wording without a window' },
    // Rate, generic wording.
    { text: /rate[ _-]?limit|ratelimit|too many (requests|tokens)|throttl|rate exceeded|resource[ _-]?(has been )?exhausted|resourceexhausted|cooling down|model_cooldown|(request|requests) limit|exceeded limit|\blimit (reached|exceeded)\b/i, reason: 'rate_limit', note: 'rate-limit wording, including a 429 rewritten into friendly text' },
    // A 404 that names no model, deployment or endpoint: the base URL is wrong, for every model.
    { text: /^(?![\s\S]*\b(models?|deployments?|endpoints?)\b)/i, status: [404], reason: 'model_not_found', scope: 'provider', note: 'a bare 404 ("Not Found", an HTML page, {"detail":"Not Found"}): the path is wrong, so every model of this provider fails' },
    // Model availability.
    { text: /models?\b[^\n]{0,80}(does not exist|not found|not exist|is not supported for generatecontent|decommissioned|not deployed)|not found the model|unknown model|no such model|invalid model|dedicated endpoint for[^\n]{0,80}is not running|non-serverless model|on-demand throughput|inference profile|^model: \S+|model[^\n]{0,40}(has been )?(deprecated|deactivated|decommissioned|retired)|deployment[^\n]{0,40}(does not exist|not found)|模型不存在/i, reason: 'model_not_found', note: 'the model does not exist or was retired' },
    // Capacity.
    { text: /requires more (system |gpu |v)?memory\b[^\n]{0,30}\bthan|(not enough|insufficient) (gpu |system |v)?memory/i, reason: 'overloaded', scope: 'model', note: 'no room to load this model now: another model or host may serve the request' },
    { text: /model is (currently )?(overloaded|at capacity|not ready)|selected model is at capacity/i, reason: 'overloaded', scope: 'model', note: 'this model is overloaded' },
    { text: /overload|over capacity|at capacity|capacity (exceeded|limit)|high (demand|load|traffic)|temporarily (unavailable|overloaded)|service[ _-]?unavailable|\bis busy\b|not ready|过载|访问量过大|繁忙|负载/i, reason: 'overloaded', note: 'overload and unavailability wording' },
    // Time and transport.
    { text: /timed? ?out|timeout|deadline[ _-]?exceeded|超时/i, reason: 'timeout', note: 'timeout wording' },
    { text: /stream disconnected|stream closed before|error sending request|transport error|error decoding response body|fetch failed|connection (error|reset|refused|closed|lost)|network[ _-]?error|socket hang ?up|other side closed|econn[a-z]+|enotfound|eai_again|epipe|ehostunreach|enetunreach|und_err_[a-z_]+|no such host|\bdns\b|getaddrinfo|stream ended|ended without|\bsocket\b[^\n.]{0,30}\bclosed\b|closed unexpectedly|premature(ly)? close|upstream connect error|reset before headers|网络(错误|异常)|连接(失败|中断|错误)/i, reason: 'network', note: 'connection and stream-transport wording' },
    // Server faults.
    { text: /failed to call a function|tool call validation failed/i, reason: 'server_error', scope: 'model', note: 'the model produced an unusable tool call: the model failed, not the request' },
    { text: /invalid json response|json parsing failed|unexpected end of json|empty response body|type validation failed/i, reason: 'server_error', yieldsToStatus: true, note: 'the response could not be parsed: a provider or proxy fault' },
    { text: /internal[ _-]?(server |database )?error|server[ _]error|internal failure|bad gateway|upstream (error|connect)|error (while )?processing|unknown error|unexpected error|something went wrong|malformed[ _]response|web server is down|origin is unreachable|finish_reason:? ?error|服务器(内部)?错误|系统错误/i, reason: 'server_error', note: 'server-fault wording' },
    // Credentials and money, broad wording.
    { text: /\bunauthori[sz]ed\b|\bforbidden\b|permission[ _-]?(denied|error)|access denied|not authori[sz]ed|do(n't| not) have access|无权限|权限不足/i, reason: 'auth', note: 'unauthorized or forbidden wording' },
    { text: /payment required/i, reason: 'billing', note: 'payment-required wording' },
    // Request errors.
    { text: /invalid (input )?(parameter|argument|value|format|type|schema|`?signature)s?\b|invalid json (body|payload|in (the )?request)|could not parse the json body|invalid request (format|body)|parameter error|invalid '[^']+'|unsupported (parameter|value|content|media)|validation failed|should match pattern|cannot be (modified|disabled|empty)|must (end|start) with|is mandatory|is required|field required|missing required|required (parameter|property|field)|extra inputs are not permitted|additional properties are not allowed|input should be a valid|unrecognized request argument|unknown parameter|must be passed back|schema violations? found|not (a )?valid against schema|extraneous key|malformed (request|json)|must contain valid|must be at least 1 token|\b(must|should) be (non-empty|at least|at most|less than|greater than|between|one of)\b|\bis too (large|small|long|short)\b|only the default|(should|must) alternate|comes? immediately after|\bmissing\b[^\n.]{0,40}\b(field|parameter|property|argument)\b|failed to deserialize|unknown (variant|field)|does not support|not supported|\bunsupported\b|参数(错误|无效)/i, reason: 'bad_request', note: 'a request this API names as malformed: its own validation rules, which another provider or model may not share, so the run moves on' },
    // An abort that is not the caller's AbortError (a proxy or SDK cut the stream): retry it.
    { text: /\babort(ed)?\b/i, reason: 'timeout', note: 'an abort without an AbortError name: a cut stream, not the caller' },
  ],
};
