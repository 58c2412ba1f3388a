-- wrk script for the "64 KiB POST upload" case: every request is a POST of 65536 bytes to the URL given.
wrk.method = "POST"
wrk.body = string.rep("x", 65536)
wrk.headers["Content-Type"] = "application/octet-stream"
