-- wrk script: after the run, print one line "WRKJSON {...}" with the figures
-- bench/pages.py reads (latencies in microseconds; errors as wrk counts them:
-- status >= 400, connect/read/write failures and timeouts).
--
-- With arguments (after "--"): "post" TOPIC_IDS TOKENS turns every request into a
-- reply through the JSON API, topics and tokens taken in turn (comma-separated).

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
    table.insert(threads, thread)
end

local function split(text)
    local out = {}
    for part in string.gmatch(text or "", "[^,]+") do
        table.insert(out, part)
    end
    return out
end

function init(args)
    mode = args[1]
    if mode == "post" then
        topics = split(args[2])
        tokens = split(args[3])
        n = 0
    end
end

function request()
    if mode ~= "post" then
        return wrk.request()
    end
    n = n + 1
    local i = (tid * 7919 + n) % #tokens + 1
    local topic = topics[(tid * 31 + n) % #topics + 1]
    local body = string.format(
        '{"body":"Balasan uji beban %d-%d: pengalaman kami dengan asesmen diagnostik."}', tid, n)
    return wrk.format("POST", "/api/v1/topics/" .. topic .. "/posts", {
        ["Authorization"] = "Bearer " .. tokens[i],
        ["Content-Type"] = "application/json",
    }, body)
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
        '"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}\n',
        summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(95), latency:percentile(99),
        latency.max, latency.mean))
end
