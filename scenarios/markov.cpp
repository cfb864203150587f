#include "scenarios/markov.hpp"

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>

namespace xborder {
namespace {

using Matrix = Eigen::MatrixXd;
using Row = Eigen::RowVectorXd;

// The generator of the product chain, rates per day.
Matrix generator(const Scenario& sc) {
  const std::size_t s = sc.stochastic.size();
  const Eigen::Index n = Eigen::Index{1} << s;
  Matrix q = Matrix::Zero(n, n);
  for (Eigen::Index m = 0; m < n; ++m) {
    for (std::size_t i = 0; i < s; ++i) {
      const Eigen::Index bit = Eigen::Index{1} << i;
      const auto& ev = sc.stochastic[i];
      if (!(m & bit)) {
        q(m, m | bit) += ev.rate / kDaysPerYear;
      } else if (ev.recovery) {
        q(m, m ^ bit) += *ev.recovery / kDaysPerYear;
      }
    }
    q(m, m) = -q.row(m).sum();
  }
  return q;
}

// ∫_0^L π e^{Qt} r dt and π e^{QL}, from the exponential of [[Q, r], [0, 0]] L.
std::pair<double, Row> integrate(const Matrix& q, const Row& pi, const Eigen::VectorXd& r,
                                 double length) {
  const Eigen::Index n = q.rows();
  Matrix a = Matrix::Zero(n + 1, n + 1);
  a.topLeftCorner(n, n) = q;
  a.topRightCorner(n, 1) = r;
  const Matrix e = (a * length).exp();
  const double integral = (pi * e.topRightCorner(n, 1))(0, 0);
  return {integral, pi * e.topLeftCorner(n, n)};
}

}  // namespace

double p_reach(const Scenario& sc, const std::vector<Segment>& segments,
               const std::function<bool(std::size_t segment, std::uint64_t mask)>& is_bad) {
  const std::size_t s = sc.stochastic.size();
  const Eigen::Index n = Eigen::Index{1} << s;
  const Matrix q = generator(sc);
  // Bad states absorb into state n.
  Row p = Row::Zero(n + 1);
  p(0) = 1;
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const double length = segments[k].to.days() - segments[k].from.days();
    std::vector<bool> bad(static_cast<std::size_t>(n));
    for (Eigen::Index m = 0; m < n; ++m) {
      bad[static_cast<std::size_t>(m)] = is_bad(k, static_cast<std::uint64_t>(m));
      if (bad[static_cast<std::size_t>(m)]) {
        p(n) += p(m);
        p(m) = 0;
      }
    }
    Matrix b = Matrix::Zero(n + 1, n + 1);
    for (Eigen::Index m = 0; m < n; ++m) {
      if (bad[static_cast<std::size_t>(m)]) continue;
      for (Eigen::Index t = 0; t < n; ++t) {
        if (t == m || q(m, t) == 0) continue;
        b(m, bad[static_cast<std::size_t>(t)] ? n : t) += q(m, t);
      }
      b(m, m) = -b.row(m).sum();
    }
    p = p * (b * length).exp();
  }
  return p(n);
}

AnalyticResult analytic(Simulator& sim, std::size_t max_events) {
  AnalyticResult out;
  const Scenario& sc = sim.scenario();
  const std::size_t s = sc.stochastic.size();
  if (s > max_events) {
    out.reason = std::to_string(s) + " stochastic events (the exact answer needs 2^" +
                 std::to_string(s) + " world states; at most " + std::to_string(max_events) + ")";
    return out;
  }
  const Eigen::Index n = Eigen::Index{1} << s;
  const Matrix q = generator(sc);
  const auto& segments = sim.segments();

  // Expected days in violation, and per event the expected days active.
  Row pi = Row::Zero(n);
  pi(0) = 1;
  std::vector<EventAnalytics> events(s);
  for (std::size_t i = 0; i < s; ++i) events[i].id = sc.stochastic[i].id;
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const double length = segments[k].to.days() - segments[k].from.days();
    Eigen::VectorXd v(n);
    for (Eigen::Index m = 0; m < n; ++m)
      v(m) = sim.outcome(k, static_cast<std::uint64_t>(m)).violated ? 1.0 : 0.0;
    for (std::size_t i = 0; i < s; ++i) {
      Eigen::VectorXd active(n);
      for (Eigen::Index m = 0; m < n; ++m) active(m) = (m >> i) & 1 ? 1.0 : 0.0;
      events[i].active_days += integrate(q, pi, active, length).first;
    }
    auto [days, next] = integrate(q, pi, v, length);
    out.violated_days += days;
    pi = next;
  }
  for (std::size_t i = 0; i < s; ++i) {
    for (Eigen::Index m = 0; m < n; ++m) {
      if ((m >> i) & 1) events[i].p_active_at_end += pi(m);
    }
  }

  // P(at least one violation): violating states absorb.
  out.p_violation = p_reach(
      sc, segments, [&](std::size_t k, std::uint64_t m) { return sim.outcome(k, m).violated; });
  out.events = std::move(events);
  out.available = true;
  return out;
}

}  // namespace xborder
