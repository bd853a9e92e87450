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
    public FhirSecurityException(string errorId, FailureCategory category, string message, object? target = null, Exception? innerException = null)
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
}
