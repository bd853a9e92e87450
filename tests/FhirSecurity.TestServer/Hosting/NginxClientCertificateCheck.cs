using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// Plays nginx with <c>ssl_verify_client on</c> in front of the server: the handshake asks for a client certificate
/// and finishes without one, and every request that came without one (FHIR paths, the token endpoint, anything) gets
/// nginx's own 400 page instead of reaching the server.
/// </summary>
internal static class NginxClientCertificateCheck
{
    /// <summary>
    /// nginx's page for its internal status 496 (ngx_http_error_496_page and the tail of
    /// src/http/ngx_http_special_response.c), which it sends as 400.
    /// </summary>
    public const string Page =
        "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n"
        + "<center><h1>400 Bad Request</h1></center>\r\n<center>No required SSL certificate was sent</center>\r\n"
        + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    /// <summary>Answers with nginx's page and returns true when the request came without a client certificate.</summary>
    public static async Task<bool> RefusedAsync(HttpContext context)
    {
        if (context.Connection.ClientCertificate is not null)
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(Page, context.RequestAborted);
        return true;
    }
}
