import { Router } from 'express';

export function homeRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (req.user) return res.redirect(303, '/dashboard');
    res.render('home', { title: 'Welcome' });
  });
  return router;
}
