-- wrk script: counts the answers of each wall-clock second and prints them at the end, one line per second:
--   second <unix time> <answers>
-- Used by request-path.sh for the time to warm: one run over the same connections from the moment `deploy/moat up`
-- returned, as clients that start with the service keep their connections, instead of new connections (and TLS
-- handshakes) every second.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
end

function response(status, headers, body)
  local second = os.time()
  counts[second] = (counts[second] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  local seconds = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("counts")
    for second, n in pairs(counted) do
      if total[second] == nil then
        table.insert(seconds, second)
        total[second] = 0
      end
      total[second] = total[second] + n
    end
  end
  table.sort(seconds)
  for _, second in ipairs(seconds) do
    io.write(string.format("second %d %d\n", second, total[second]))
  end
end
