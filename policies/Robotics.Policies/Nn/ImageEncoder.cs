using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// A small convolutional encoder for uint8 camera frames, FiLM-conditioned on the task token after every
/// convolution (as MoDE conditions its image encoders on language): three stride-2 convolutions, global
/// average pooling, then a projection to the model width.
/// </summary>
public sealed class ImageEncoder : Module
{
    private readonly ModuleList<Conv2d> convs;
    private readonly ModuleList<Linear> films;
    private readonly Linear proj;

    public ImageEncoder(int channels, int width, string name = "image_encoder") : base(name)
    {
        int[] sizes = [channels, 32, 64, 64];
        convs = new ModuleList<Conv2d>(Enumerable.Range(0, 3).Select(i => Conv2d(sizes[i], sizes[i + 1], 5, stride: 2, padding: 2)).ToArray());
        films = new ModuleList<Linear>(Enumerable.Range(0, 3).Select(i => Linear(width, 2 * sizes[i + 1])).ToArray());
        proj = Linear(sizes[^1], width);
        RegisterComponents();
    }

    /// <param name="images">(N, H, W, C) uint8, as cameras deliver them.</param>
    /// <param name="task">(N, D) task token the features are modulated by.</param>
    /// <returns>(N, D).</returns>
    public Tensor Forward(Tensor images, Tensor task)
    {
        // Held explicitly: an implicitly converted Scalar can be finalized while the native call still reads it.
        using var halfRange = 127.5.ToScalar();
        using var one = 1.0.ToScalar();
        var x = images.permute(0, 3, 1, 2).to(ScalarType.Float32).div(halfRange).sub(one);
        for (int i = 0; i < convs.Count; i++)
        {
            x = convs[i].forward(x);
            var film = films[i].forward(task).chunk(2, -1);
            x = functional.gelu(x * film[0].add(one).view(film[0].shape[0], -1, 1, 1) + film[1].view(film[1].shape[0], -1, 1, 1));
        }

        return proj.forward(x.mean([2, 3]));
    }
}
