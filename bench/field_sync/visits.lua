-- wrk script: every request is a new visit (a fresh v4 UUID) by one of the 1,000 TKS in tks.txt
-- to one of that TKS's groups, valid per the field API contract (roles, tasks with their
-- required fields, a GPS point near the group, 3 members present, one follow-up, indicators for
-- a quarter of the visits, no photos). Each acknowledged (2xx) visit's id is logged, so
-- check.py can compare with the database.
--
--   wrk -t2 -c64 -d60s --timeout 5s -s visits.lua http://127.0.0.1:8765 -- DATA_FILE OUT_DIR [AUTH]
--
-- DATA_FILE: tks.txt (lines "T token gid:lat:lon:m1,m2,.. ..." and "F <roles/tasks/details JSON>").
-- OUT_DIR: gets acked-<thread>.txt ("uuid status" a line) and errors-<thread>.txt (first 50).
-- AUTH: "token" (default: the bearer token of an API client) or "session" (as the field app sends:
-- the session and CSRF cookies with the X-CSRFToken header, from sessions.txt beside DATA_FILE,
-- lines "session_key csrf_secret csrf_token" in the order of the T lines).

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

local tks, fragments = {}, {}
local acked, errors_log
local errors_logged = 0
local hex = "0123456789abcdef"

local function uuid4()
   local t = {}
   for i = 1, 32 do
      local r = math.random(1, 16)
      if i == 13 then r = 5 end                          -- version 4
      if i == 17 then r = 9 + (r % 4) end                -- variant 10xx
      t[#t + 1] = hex:sub(r, r)
      if i == 8 or i == 12 or i == 16 or i == 20 then t[#t + 1] = "-" end
   end
   return table.concat(t)
end

function init(args)
   local data, out = args[1], args[2]
   for line in io.lines(data) do
      local kind, rest = line:sub(1, 1), line:sub(3)
      if kind == "T" then
         local token, places = rest:match("^(%S+) (.*)$")
         local groups = {}
         for gid, lat, lon, members in places:gmatch("(%d+):([%d%.%-]+):([%d%.%-]+):([%d,]+)") do
            local m = {}
            for mid in members:gmatch("%d+") do m[#m + 1] = mid end
            groups[#groups + 1] = {id = gid, lat = tonumber(lat), lon = tonumber(lon), members = m}
         end
         tks[#tks + 1] = {auth = "Bearer " .. token, groups = groups}
      elseif kind == "F" then
         fragments[#fragments + 1] = rest
      end
   end
   assert(#tks > 0 and #fragments > 0, "no TKS or no task fragments in " .. data)
   if args[3] == "session" then
      local i = 0
      for line in io.lines((data:match("^(.*/)") or "") .. "sessions.txt") do
         local key, secret, token = line:match("^(%S+) (%S+) (%S+)$")
         i = i + 1
         tks[i].headers = {["Cookie"] = "sessionid=" .. key .. "; csrftoken=" .. secret, ["X-CSRFToken"] = token}
      end
      assert(i == #tks, "sessions.txt has " .. i .. " lines for " .. #tks .. " TKS")
   else
      assert(args[3] == nil or args[3] == "token", "AUTH is token or session, not " .. tostring(args[3]))
      for _, who in ipairs(tks) do who.headers = {["Authorization"] = who.auth} end
   end
   for _, who in ipairs(tks) do who.headers["Content-Type"] = "application/json" end
   -- Distinct streams per thread and per run: ids must never repeat across threads or runs.
   local seed = os.time() * 1000 + id * 7919
   local urandom = io.open("/dev/urandom", "rb")
   if urandom then
      local b = urandom:read(4)
      urandom:close()
      seed = seed + b:byte(1) * 16777216 + b:byte(2) * 65536 + b:byte(3) * 256 + b:byte(4)
   end
   math.randomseed(seed % 2147483647)
   acked = assert(io.open(out .. "/acked-" .. id .. ".txt", "w"))
   acked:setvbuf("line")  -- wrk exits without closing: line buffering loses nothing
   errors_log = assert(io.open(out .. "/errors-" .. id .. ".txt", "w"))
   errors_log:setvbuf("line")
end

local function iso(t)
   return os.date("!%Y-%m-%dT%H:%M:%S+00:00", t)
end

local function body_for(vid, g, now)
   local m = g.members
   local first = vid:sub(1, 1)
   local indicators = "null"
   if first < "4" then  -- a quarter of the visits, decided by the id so check.py knows which
      indicators = string.format(
         '{"id": "%s", "turnover": %d, "capital": %d, "active_members": %d, "new_workers": %d, '
         .. '"products": "Keripik singkong", "price": 15000, "aid_spent_tools": %d, '
         .. '"aid_spent_materials": %d, "lpj_done": false}',
         uuid4(), math.random(1, 40) * 250000, math.random(5, 40) * 500000, math.random(3, 5),
         math.random(0, 2), math.random(1, 12) * 500000, math.random(1, 8) * 500000)
   end
   return string.format(
      '{"id": "%s", "group": %s, "kind": "kunjungan", "title": "", "place": "", "started_at": "%s", '
      .. '"duration_minutes": %d, "lat": %.5f, "lon": %.5f, "accuracy_m": %d, %s, '
      .. '"notes": "Kunjungan rutin: pencatatan penjualan dan rencana bulan depan.", "innovation": "", '
      .. '"attendance": [%s, %s, %s], "follow_ups": [{"action": "Lengkapi buku kas", "due_on": "%s"}], '
      .. '"indicators": %s, "photos": []}',
      vid, g.id, iso(now - math.random(600, 60 * 86400)), math.random(3, 12) * 10,
      g.lat + (math.random() - 0.5) * 0.002, g.lon + (math.random() - 0.5) * 0.002, math.random(5, 40),
      fragments[math.random(1, #fragments)], m[1], m[2], m[3],
      os.date("!%Y-%m-%d", now + 14 * 86400), indicators)
end

function request()
   local who = tks[math.random(1, #tks)]
   local g = who.groups[math.random(1, #who.groups)]
   return wrk.format("POST", "/api/field/visits", who.headers, body_for(uuid4(), g, os.time()))
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      -- The answer names the visit: its first "id" (the photos list, the only other ids, is empty).
      local vid = body:match('"id"%s*:%s*"([%x%-]+)"')
      acked:write((vid or "?"), " ", status, "\n")
   elseif errors_logged < 50 then
      errors_logged = errors_logged + 1
      errors_log:write(status, " ", body:sub(1, 400):gsub("\n", " "), "\n")
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d mean_us=%.0f "
      .. "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
