-- wrk script for bench/memory.sh: each request comes from a new client address, sent in X-Forwarded-For (the
-- gateway trusts it from 127.0.0.1), counting up from 10.0.0.1, until FLOOD_IPS requests (default 1,000,000)
-- were answered; then the thread stops. Run it with -t1, so that no two threads send the same addresses.
local total = tonumber(os.getenv("FLOOD_IPS") or "1000000")
local sent, answered = 0, 0

request = function()
  sent = sent + 1
  local n = sent % 16777216
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
  return wrk.format("GET", "/small", { ["X-Forwarded-For"] = ip })
end

response = function()
  answered = answered + 1
  if answered >= total then
    wrk.thread:stop()
  end
end
