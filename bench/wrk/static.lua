-- the baseline: nginx serving a 2 KB file
request = function()
  return wrk.format("GET", "/static-2k.html")
end
