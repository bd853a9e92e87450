using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Http;

/// <summary>
/// One HTTP exchange, the step every request of the module takes: the request sent, the answer read in full, and a
/// transport failure turned into the error that says what happened and whether a new attempt may not meet it.
/// </summary>
internal static class HttpExchange
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="endpoint"/> over <paramref name="http"/>.</summary>
    public static async Task<Exchanged> SendAsync(
        HttpClient http,
        TransportPolicy tls,
        HttpRequestMessage message,
        Endpoint endpoint,
        TimeProvider clock,
        CancellationToken deadline)
    {
        Uri uri = message.RequestUri!;
        try
        {
            using HttpResponseMessage response = await http.SendAsync(message, deadline).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(deadline).ConfigureAwait(false);
            return new Exchanged(HttpAnswer.From(response, body, clock.GetUtcNow()), null, false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !deadline.IsCancellationRequested)
        {
            // A response cut short may surface as a bare IOException; it is the same kind of failure.
            HttpRequestException transport = ex as HttpRequestException ?? new HttpRequestException(ex.Message, ex);

            // A server that wants a client certificate the connection lacks (or refuses the one it has) will not
            // change its mind on a retry, no more than a refused server certificate.
            bool transient = RetryPolicy.IsTransient(ex) && !TransportFailures.IsClientCertificateFailure(ex, tls, uri);
            return new Exchanged(
                null, TransportFailures.From(transport, tls, uri, endpoint.Name, endpoint.UnreachableId), transient);
        }
    }
}

/// <summary>An answer, or a transport failure and whether it may pass (a retry may not meet it).</summary>
internal sealed record Exchanged(HttpAnswer? Answer, FhirSecurityException? Failure, bool Transient);
