-- wrk script: cycle through the request paths listed in a file (one a line), e.g. 2,000 story pages, so that
-- cache misses and hits mix.   wrk -s bench/paths.lua http://127.0.0.1:PORT -- paths.txt
local threads = 0

function setup(thread)
  -- each thread starts at another place in the list
  thread:set("offset", threads * 997)
  threads = threads + 1
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  position = offset % #paths
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
