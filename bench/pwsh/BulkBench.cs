// C# for bench/pwsh/Measure-BulkExport.ps1 (Add-Type -Path): the raw export baseline and the heap sampler.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FhirSecurityBench
{
    // What a script author would write without the module, in C# so the downloads run off the pipeline thread.
    public static class RawBulkExport
    {
        public static double Run(HttpClient client, string kickoffUrl, string folder, int parallel)
        {
            var watch = Stopwatch.StartNew();
            RunAsync(client, kickoffUrl, folder, parallel).GetAwaiter().GetResult();
            return watch.Elapsed.TotalSeconds;
        }

        private static async Task RunAsync(HttpClient client, string kickoffUrl, string folder, int parallel)
        {
            var kickoff = new HttpRequestMessage(HttpMethod.Get, kickoffUrl);
            kickoff.Headers.Add("Accept", "application/fhir+json");
            kickoff.Headers.Add("Prefer", "respond-async");
            using HttpResponseMessage accepted = await client.SendAsync(kickoff);
            Uri status = accepted.Content.Headers.ContentLocation ?? throw new InvalidOperationException("no status");
            string manifest;
            while (true)
            {
                using HttpResponseMessage polled = await client.GetAsync(status);
                if ((int)polled.StatusCode == 200) { manifest = await polled.Content.ReadAsStringAsync(); break; }
                await Task.Delay(polled.Headers.RetryAfter?.Delta ?? TimeSpan.Zero);
            }

            using JsonDocument document = JsonDocument.Parse(manifest);
            string[] urls = document.RootElement.GetProperty("output").EnumerateArray()
                .Select(o => o.GetProperty("url").GetString()).ToArray();
            Directory.CreateDirectory(folder);
            using var gate = new SemaphoreSlim(parallel);
            await Task.WhenAll(urls.Select(async (url, i) =>
            {
                await gate.WaitAsync();
                try
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Add("Accept", "application/fhir+ndjson");
                    using HttpResponseMessage file = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    file.EnsureSuccessStatusCode();
                    await using var disk = new FileStream(Path.Combine(folder, i + ".ndjson"), FileMode.CreateNew);
                    await (await file.Content.ReadAsStreamAsync()).CopyToAsync(disk);
                }
                finally { gate.Release(); }
            }));
            using HttpResponseMessage deleted = await client.DeleteAsync(status);
        }
    }

    // Samples the managed heap while an export runs (a timer thread: no runspace needed).
    public sealed class HeapSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;
        public HeapSampler() { _timer = new Timer(_ => Sample(), null, 0, 10); }
        public long Peak { get { Sample(); return Interlocked.Read(ref _peak); } }
        private void Sample()
        {
            long now = GC.GetTotalMemory(false);
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        }
        public void Dispose() { _timer.Dispose(); }
    }
}
