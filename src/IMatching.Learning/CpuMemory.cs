using static TorchSharp.torch;

namespace IMatching.Learning;

/// <summary>Raw access to CPU tensors for the library's C# kernels.</summary>
internal static unsafe class CpuMemory
{
    /// <summary>The first element of a CPU tensor (its storage's memory plus the tensor's offset into it); the caller keeps the tensor alive.</summary>
    public static T* Pointer<T>(Tensor tensor) where T : unmanaged
    {
        using var storage = tensor.storage<T>();
        return (T*)storage.data_ptr() + tensor.storage_offset();
    }
}
