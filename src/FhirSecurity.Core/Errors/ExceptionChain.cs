namespace FhirSecurity.Core.Errors;

/// <summary>An exception and its inner exceptions, outermost first: where a platform buries what failed.</summary>
internal static class ExceptionChain
{
    /// <summary>The outermost exception of type <typeparamref name="T"/> in the chain, or null.</summary>
    public static T? Find<T>(Exception? ex)
        where T : Exception
        => All<T>(ex).FirstOrDefault();

    /// <summary>Every exception of type <typeparamref name="T"/> in the chain, outermost first.</summary>
    public static IEnumerable<T> All<T>(Exception? ex)
        where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                yield return match;
            }
        }
    }
}
