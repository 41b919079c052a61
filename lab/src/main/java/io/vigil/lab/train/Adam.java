package io.vigil.lab.train;

import java.util.List;

/** Adam (Kingma &amp; Ba 2015) with optional decoupled weight decay, over a fixed list of parameters. */
public final class Adam {
    private final List<Param> params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[][] m;
    private final double[][] v;
    private int t;

    public Adam(List<Param> params, double beta1, double beta2, double eps) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        m = new double[params.size()][];
        v = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new double[params.get(i).size()];
            v[i] = new double[params.get(i).size()];
        }
    }

    /** One update with learning rate {@code lr} from the gradients (divided by {@code scale}, e.g. the batch size). */
    public void step(double lr, double scale, double clipNorm) {
        t++;
        double norm = 0;
        for (Param p : params) for (double g : p.grad) norm += g * g;
        norm = Math.sqrt(norm) / scale;
        double clip = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            double[] mi = m[i], vi = v[i];
            for (int j = 0; j < p.size(); j++) {
                double g = p.grad[j] / scale * clip;
                mi[j] = beta1 * mi[j] + (1 - beta1) * g;
                vi[j] = beta2 * vi[j] + (1 - beta2) * g * g;
                p.value[j] -= lr * (mi[j] / c1) / (Math.sqrt(vi[j] / c2) + eps);
            }
        }
    }
}
