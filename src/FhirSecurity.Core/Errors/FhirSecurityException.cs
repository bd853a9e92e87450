namespace FhirSecurity.Core.Errors;

/// <summary>
/// Every failure a user can meet. <see cref="ErrorId"/> is stable (tests and runbooks match on it); the message
/// says what went wrong and what to do next, and never contains secret material.
/// </summary>
public sealed class FhirSecurityException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorId">A stable id shaped &lt;Noun&gt;&lt;Problem&gt;, one of <see cref="ErrorIds"/>.</param>
    /// <param name="category">Why it failed.</param>
    /// <param name="message">What went wrong and what to do next. Never a secret.</param>
    /// <param name="target">The object the error is about (a name, a path, a URI). Never a secret.</param>
    /// <param name="innerException">The cause, if any.</param>
    public FhirSecurityException(
        string errorId,
        FailureCategory category,
        string message,
        object? target = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>The stable error id.</summary>
    public string ErrorId { get; }

    /// <summary>Why it failed.</summary>
    public FailureCategory Category { get; }

    /// <summary>The object the error is about.</summary>
    public object? Target { get; }

    /// <summary>The HTTP status a server answered with, when the error is a server's answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>A protocol error code from the server (OAuth <c>error</c>), when it sent one.</summary>
    public string? RemoteError { get; init; }

    /// <summary>The OperationOutcome issues a FHIR server sent, one line each.</summary>
    public IReadOnlyList<string> Issues { get; init; } = [];
}
